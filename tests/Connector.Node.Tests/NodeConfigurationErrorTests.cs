using Connector.Node.Tests.Support;

namespace Connector.Node.Tests;

[Collection(NodeProcessCollection.Name)]
public sealed class NodeConfigurationErrorTests : IDisposable
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    public static TheoryData<string, string, string> InvalidTables => new()
    {
        {
            """lk { connector = rest-lookup, url = "http://127.0.0.1:9/x", columns = "id STRING", "http.source.lookup.request.timeot" = 5s }""",
            "table 'lk', option 'http.source.lookup.request.timeot'",
            "did you mean 'http.source.lookup.request.timeout'?"
        },
        {
            """lk { connector = rest-lookup, url = "http://127.0.0.1:9/x", columns = "id STRNG" }""",
            "table 'lk', option 'columns'",
            "Unknown type 'STRNG'"
        },
        {
            """lk { connector = rest-lookup, columns = "id STRING" }""",
            "table 'lk', option 'url'",
            "missing required option"
        },
        {
            """out { connector = http-sink, url = "http://127.0.0.1:9/x", insert-method = GET }""",
            "table 'out', option 'insert-method'",
            "allowed values: POST, PUT"
        },
    };

    [Theory]
    [MemberData(nameof(InvalidTables))]
    public async Task Run_InvalidTable_ExitsWithTwo(string table, string location, string message)
    {
        var config = _folder.Write("invalid.conf", $$"""
            httpactors.tables {
              src { connector = datagen, columns = "id STRING", number-of-rows = 1 }
              sink { connector = blackhole }
              {{table}}
            }
            httpactors.pipelines.p { from = src, to = sink }
            """);

        foreach (var command in new[] { "run", "validate" })
        {
            var (exitCode, node) = await NodeProcess.RunAsync(_folder.Path, RunTimeout, command, config);
            using (node)
            {
                Assert.Equal(2, exitCode);
                Assert.Contains(location, node.Error);
                Assert.Contains(message, node.Error);
            }
        }
    }

    [Fact]
    public async Task Validate_SeveralProblems_ListsEvery()
    {
        var config = _folder.Write("many.conf", """
            httpactors.tables {
              src { connector = datagen, columns = "id STRING", fields.id.kidn = sequence }
              lk { connector = rest-lookup, url = "ftp://x", columns = "id STRING", "lookup.max-retries" = -1 }
              sink { connector = http-sink, url = "http://127.0.0.1:9/x", "http.sink.request.batch.size" = 0 }
            }
            httpactors.pipelines.p { from = src, lookups = [ { table = lk, on { id = nope } } ], to = sink }
            """);

        var (exitCode, node) = await NodeProcess.RunAsync(_folder.Path, RunTimeout, "validate", config);
        using (node)
        {
            Assert.Equal(2, exitCode);
            Assert.Contains("option 'fields.id.kidn'", node.Error);
            Assert.Contains("did you mean 'kind'?", node.Error);
            Assert.Contains("option 'url': invalid URL 'ftp://x'", node.Error);
            Assert.Contains("option 'lookup.max-retries'", node.Error);
            Assert.Contains("option 'http.sink.request.batch.size'", node.Error);
        }
    }

    [Fact]
    public async Task Validate_NodeSettingsAndFileConflicts_ListsEvery()
    {
        var input = _folder.Write("in.ndjson", "{\"id\":\"1\"}\n");
        var config = _folder.Write("node-settings.conf", $$"""
            httpactors.node {
              progress-interval = abc
              drain-timeout = 0s
              log-level = Verbose
            }
            httpactors.demo-endpoints.host = "0.0.0.0"
            httpactors.tables {
              src { connector = file, path = "{{input}}", columns = "id STRING" }
              gen { connector = datagen, columns = "id STRING", number-of-rows = 1 }
              same { connector = file, path = "{{input}}" }
              out { connector = file, path = "{{Path.Combine(_folder.Path, "out.ndjson")}}" }
            }
            httpactors.pipelines {
              overwrite { from = src, to = same }
              first { from = gen, to = out }
              second { from = gen, to = out }
            }
            """);

        var (exitCode, node) = await NodeProcess.RunAsync(_folder.Path, RunTimeout, "validate", config);
        using (node)
        {
            Assert.Equal(2, exitCode);
            Assert.Contains("httpactors.node, option 'progress-interval': invalid duration 'abc'", node.Error);
            Assert.Contains("httpactors.node, option 'drain-timeout': invalid duration '0s'", node.Error);
            Assert.Contains("httpactors.node, option 'log-level': invalid value 'Verbose'", node.Error);
            Assert.Contains("httpactors.demo-endpoints, option 'host'", node.Error);
            Assert.Contains("pipeline 'overwrite', option 'to'", node.Error);
            Assert.Contains("is also written by pipeline 'first'", node.Error);
            Assert.Equal("{\"id\":\"1\"}\n", File.ReadAllText(input));
        }
    }

    [Theory]
    [InlineData("include \"other.conf\"\n", "line 1: include is not supported")]
    [InlineData("a = 1\nb = ${HTTPACTORS_TEST_UNSET}\n", "line 2: ${HTTPACTORS_TEST_UNSET} is not set")]
    [InlineData("a = ${HTTPACTORS_TEST_UNSET_A}\nb = ${HTTPACTORS_TEST_UNSET_B}\n", "line 2: ${HTTPACTORS_TEST_UNSET_B} is not set")]
    public async Task Validate_UnsupportedHocon_ExitsWithTwo(string text, string message)
    {
        var config = _folder.Write("unsupported.conf", text);

        var (exitCode, node) = await NodeProcess.RunAsync(_folder.Path, RunTimeout, "validate", config);
        using (node)
        {
            Assert.Equal(2, exitCode);
            Assert.Contains(message, node.Error);
        }
    }

    [Fact]
    public async Task Validate_VariableValues_Masked()
    {
        var config = _folder.Write("variables.conf", """
            httpactors.tables {
              src { connector = datagen, columns = "id STRING", number-of-rows = 1 }
              out {
                connector = http-sink
                url = "http://127.0.0.1:9/orders"
                "http.sink.request.timeout" = ${ORDERS_TOKEN}
              }
            }
            httpactors.pipelines.p { from = src, to = out }
            """);
        var environment = new Dictionary<string, string> { ["ORDERS_TOKEN"] = "Bearer TopSecret-Variable" };

        var (exitCode, node) = await NodeProcess.RunAsync(_folder.Path, RunTimeout, environment, "validate", config);
        using (node)
        {
            Assert.Equal(2, exitCode);
            Assert.Contains("option 'http.sink.request.timeout'", node.Error);
            Assert.Contains("'***'", node.Error);
            Assert.DoesNotContain("TopSecret-Variable", node.Error);
            Assert.DoesNotContain("TopSecret-Variable", node.Output);
        }
    }

    [Fact]
    public async Task Validate_SecretValues_NeverShown()
    {
        var config = _folder.Write("secret.conf", """
            httpactors.tables {
              src { connector = datagen, columns = "id STRING", number-of-rows = 1 }
              lk {
                connector = rest-lookup
                columns = "id STRING"
                "http.source.lookup.header.Authorization" = "user:TopSecret-1"
                "http.source.lookup.proxy.password" = "TopSecret-2"
                "http.security.oidc.token.request" = "client_secret=TopSecret-3"
              }
            }
            httpactors.pipelines.p { from = src, lookups = [ { table = lk, on { id = id } } ], to = src }
            """);

        var (exitCode, node) = await NodeProcess.RunAsync(_folder.Path, RunTimeout, "validate", config);
        using (node)
        {
            Assert.Equal(2, exitCode);
            Assert.DoesNotContain("TopSecret", node.Error + node.Output);
        }
    }

    [Theory]
    [InlineData("run")]
    [InlineData("validate")]
    public async Task Command_MissingFile_ExitsWithTwo(string command)
    {
        var (exitCode, node) = await NodeProcess.RunAsync(_folder.Path, RunTimeout, command, "does-not-exist.conf");
        using (node)
        {
            Assert.Equal(2, exitCode);
            Assert.Contains("file 'does-not-exist.conf': file not found", node.Error);
        }
    }

    [Fact]
    public async Task Command_Unknown_ExitsWithTwo()
    {
        var (exitCode, node) = await NodeProcess.RunAsync(_folder.Path, RunTimeout, "launch");
        using (node)
        {
            Assert.Equal(2, exitCode);
            Assert.Contains("launch", node.Error);
        }
    }

    [Fact]
    public async Task Options_ListsEveryConnectorOption()
    {
        var (exitCode, node) = await NodeProcess.RunAsync(_folder.Path, RunTimeout, "options");
        using (node)
        {
            Assert.Equal(0, exitCode);
            Assert.Contains("http.source.lookup.retry-codes (default: 500,503,504)", node.Output);
            Assert.Contains("sink.flush-buffer.timeout (default: 5s)", node.Output);
            Assert.Contains("http.sink.on-failure (default: fail)", node.Output);
            Assert.Contains("rows-per-second (default: 10000)", node.Output);
            Assert.Contains("a pipeline's lookup step (an entry of lookups = [ ... ])", node.Output);
            Assert.Contains("buffer-capacity (default: 100)", node.Output);
        }
    }
}
