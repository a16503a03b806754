using System.Text.RegularExpressions;
using Akka.Configuration;
using Connector.Actors.Options;
using Connector.Node.Pipelines;
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

    [Fact]
    public void ConfigurationGuide_ExamplesValidate()
    {
        var guide = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "configuration.md"));
        var examples = Regex.Matches(guide, "```hocon\n(.*?)```", RegexOptions.Singleline).Select(m => m.Groups[1].Value).ToArray();

        var config = ConfigurationFactory.ParseString(string.Join("\n", examples));
        var (plan, problems) = NodePlan.Build(config, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, TextWriter.Null);

        Assert.Equal(2, examples.Length);
        Assert.Empty(problems);
        plan!.Dispose();
    }
}
