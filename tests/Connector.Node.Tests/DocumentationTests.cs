using System.Text.RegularExpressions;
using Connector.Actors.Options;
using Connector.Node.Configuration;
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

        var environment = new Dictionary<string, string>
        {
            ["ORDERS_BASE_URL"] = "http://127.0.0.1:18080",
            ["ORDERS_PASSWORD"] = "example-password",
        };
        var (config, problem) = EnvironmentSubstitution.Parse(string.Join("\n", examples), environment.GetValueOrDefault);
        Assert.Null(problem);
        var (plan, problems) = NodePlan.Build(config!, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, TextWriter.Null);

        Assert.Equal(3, examples.Length);
        Assert.Empty(problems);
        Assert.Equal("http://127.0.0.1:18080/orders", config!.GetString("httpactors.tables.orders-out.url"));
        Assert.Equal("eu", config.GetString("httpactors.tables.orders-out.\"http.sink.header.X-Region\""));
        plan!.Dispose();
    }
}
