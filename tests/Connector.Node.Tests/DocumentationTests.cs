using Connector.Actors.Options;
using Connector.Node.Tables;
using Connector.Node.Tests.Support;

namespace Connector.Node.Tests;

public sealed class DocumentationTests
{
    public static TheoryData<string> OptionNames()
    {
        var names = new TheoryData<string>();
        foreach (var option in LookupOptions.All.Concat(SinkOptions.All).Concat(NodeConnectorOptions.DatagenOptions)
            .Concat(NodeConnectorOptions.FileOptions).Select(o => o.Name).Distinct())
        {
            names.Add(option);
        }

        return names;
    }

    [Theory]
    [MemberData(nameof(OptionNames))]
    public void ConfigurationGuide_ListsOption(string option)
    {
        var guide = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "configuration.md"));

        Assert.Contains($"| `{option}` |", guide);
    }
}
