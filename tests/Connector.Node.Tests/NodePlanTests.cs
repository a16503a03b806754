using Akka.Configuration;
using Connector.Actors.Options;
using Connector.Node.Configuration;
using Connector.Node.Pipelines;
using Connector.Node.Tables;
using Microsoft.Extensions.Logging.Abstractions;

namespace Connector.Node.Tests;

/// <summary>Tests of building a node plan from HOCON: the valid plan and the problems each mistake reports.</summary>
public sealed class NodePlanTests
{
    private const string Tables = """
        httpactors.tables {
          orders {
            connector = datagen
            columns = "id STRING, amount INT"
            fields.id.kind = sequence
            fields.id.start = 1
            fields.id.end = 3
          }
          customers {
            connector = rest-lookup
            url = "http://127.0.0.1:8080/client"
            columns = "id STRING, msg STRING, details ROW<isActive BOOLEAN>"
            "http.source.lookup.header.Origin" = "*"
            "http.source.lookup.request.timeout" = 5s
          }
          out {
            connector = blackhole
          }
        }
        """;

    [Fact]
    public void Build_DatagenLookupBlackhole()
    {
        var (plan, problems) = Build(Tables + """
            httpactors.pipelines.enrich {
              from = orders
              lookups = [ { table = customers, as = c, on { id = id } } ]
              to = out
            }
            """);

        Assert.Empty(problems);
        Assert.NotNull(plan);
        using (plan)
        {
            var pipeline = Assert.Single(plan.Pipelines);
            Assert.Equal("enrich", pipeline.Name);
            Assert.IsType<DatagenTable>(pipeline.Source);
            Assert.IsType<BlackholeSinkTable>(pipeline.Sink);
            Assert.Single(pipeline.Lookups);
            Assert.Null(pipeline.Projection);
            Assert.Equal(
                "id STRING, amount INT, c ROW<id STRING, msg STRING, details ROW<isActive BOOLEAN>>",
                pipeline.OutputType.ToString());
        }
    }

    [Fact]
    public void Build_WithSelect()
    {
        var (plan, problems) = Build(Tables + """
            httpactors.pipelines.enrich {
              from = orders
              lookups = [ { table = customers, as = c, join = LEFT, on { id = id } } ]
              select = ["id", "c.msg as message", "c.details.isActive as active"]
              to = out
            }
            """);

        Assert.Empty(problems);
        using (plan)
        {
            var pipeline = Assert.Single(plan!.Pipelines);
            Assert.NotNull(pipeline.Projection);
            Assert.Equal("id STRING, message STRING, active BOOLEAN", pipeline.OutputType.ToString());
        }
    }

    [Fact]
    public void Build_WithoutLookups()
    {
        var (plan, problems) = Build(Tables + "httpactors.pipelines.copy { from = orders, to = out }");

        Assert.Empty(problems);
        using (plan)
        {
            var pipeline = Assert.Single(plan!.Pipelines);
            Assert.Empty(pipeline.Lookups);
            Assert.Equal("id STRING, amount INT", pipeline.OutputType.ToString());
        }
    }

    [Fact]
    public void Build_WithNodeDefaults()
    {
        var config = ConfigurationFactory.ParseString(Tables + """
            httpactors.pipelines.enrich {
              from = orders
              lookups = [ { table = customers, as = c, on { id = id } } ]
              to = out
            }
            """).WithFallback(NodeConfigLoader.Defaults());

        var (plan, problems) = NodePlan.Build(config, NullLoggerFactory.Instance, TextWriter.Null);

        Assert.Empty(problems);
        using (plan)
        {
            Assert.Equal("enrich", Assert.Single(plan!.Pipelines).Name);
        }
    }

    [Fact]
    public void Build_NoPipeline()
    {
        var (plan, problems) = Build(Tables);

        Assert.Null(plan);
        var problem = Assert.Single(problems);
        Assert.Equal("httpactors.pipelines", problem.Scope);
        Assert.Equal("no pipeline is declared; add one with from, lookups and to.", problem.Message);
    }

    [Fact]
    public void Build_UnknownFromTable()
    {
        var problem = Assert.Single(Problems("from = ordrs, to = out"));

        Assert.Equal("pipeline 'enrich'", problem.Scope);
        Assert.Equal("from", problem.Option);
        Assert.Equal("table 'ordrs' is not declared under httpactors.tables.", problem.Message);
    }

    [Fact]
    public void Build_UnknownToTable()
    {
        var problem = Assert.Single(Problems("from = orders, to = nowhere"));

        Assert.Equal("pipeline 'enrich'", problem.Scope);
        Assert.Equal("to", problem.Option);
        Assert.Equal("table 'nowhere' is not declared under httpactors.tables.", problem.Message);
    }

    [Fact]
    public void Build_UnknownLookupTable()
    {
        var problem = Assert.Single(Problems("from = orders, lookups = [ { table = clients, as = c, on { id = id } } ], to = out"));

        Assert.Equal("pipeline 'enrich'", problem.Scope);
        Assert.Equal("lookups", problem.Option);
        Assert.Equal("table 'clients' is not declared under httpactors.tables.", problem.Message);
    }

    [Fact]
    public void Build_EveryUnknownTableListed()
    {
        var problems = Problems("from = a, lookups = [ { table = b, on { id = id } } ], to = c");

        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.Option == "from" && p.Message.StartsWith("table 'a' ", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Option == "lookups" && p.Message.StartsWith("table 'b' ", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Option == "to" && p.Message.StartsWith("table 'c' ", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_LookupOnNonLookupTable()
    {
        var problem = Assert.Single(Problems("from = orders, lookups = [ { table = orders, as = o, on { id = id } } ], to = out"));

        Assert.Equal("lookups", problem.Option);
        Assert.Equal("table 'orders' is a datagen table; lookups need a rest-lookup table.", problem.Message);
    }

    [Fact]
    public void Build_OnUnknownLookupColumn()
    {
        var problem = Assert.Single(Problems("from = orders, lookups = [ { table = customers, as = c, on { ident = id } } ], to = out"));

        Assert.Equal("pipeline 'enrich', lookup of table 'customers' as 'c'", problem.Scope);
        Assert.Equal("on", problem.Option);
        Assert.Equal("'ident' is not a column of table 'customers'; its columns: id, msg, details.", problem.Message);
    }

    [Fact]
    public void Build_OnUnknownUpstreamColumn()
    {
        var problem = Assert.Single(Problems("from = orders, lookups = [ { table = customers, as = c, on { id = orderId } } ], to = out"));

        Assert.Equal("pipeline 'enrich', lookup of table 'customers' as 'c'", problem.Scope);
        Assert.Equal("on", problem.Option);
        Assert.Equal("'orderId' is not an upstream column; upstream columns: id, amount.", problem.Message);
    }

    [Fact]
    public void Build_OnUnknownColumnsBothSides()
    {
        var problems = Problems("from = orders, lookups = [ { table = customers, as = c, on { ident = orderId } } ], to = out");

        Assert.Equal(2, problems.Count);
        Assert.StartsWith("'ident' is not a column of table 'customers'", problems[0].Message);
        Assert.StartsWith("'orderId' is not an upstream column", problems[1].Message);
    }

    [Fact]
    public void Build_AliasClashesWithUpstreamColumn()
    {
        var problem = Assert.Single(Problems("from = orders, lookups = [ { table = customers, as = amount, on { id = id } } ], to = out"));

        Assert.Equal("as", problem.Option);
        Assert.Equal("alias 'amount' is already an upstream column; choose another alias.", problem.Message);
    }

    [Fact]
    public void Build_SecondLookupSeesFirstAlias()
    {
        var (plan, problems) = Build(Tables + """
            httpactors.pipelines.enrich {
              from = orders
              lookups = [
                { table = customers, as = c, on { id = id } },
                { table = customers, as = c, on { id = id } }
              ]
              to = out
            }
            """);

        Assert.Null(plan);
        var problem = Assert.Single(problems);
        Assert.Equal("alias 'c' is already an upstream column; choose another alias.", problem.Message);
    }

    [Fact]
    public void Build_FileWithoutColumnsAsSource()
    {
        var path = Path.Combine(Path.GetTempPath(), "node-plan-tests-out.ndjson");
        var (plan, problems) = Build(Tables + $$"""
            httpactors.tables.files { connector = file, path = "{{path}}" }
            httpactors.pipelines.enrich { from = files, to = out }
            """);

        Assert.Null(plan);
        var problem = Assert.Single(problems);
        Assert.Equal("pipeline 'enrich'", problem.Scope);
        Assert.Equal("from", problem.Option);
        Assert.Equal("table 'files' (file) is not a source; a source is a datagen table or a file table with columns.", problem.Message);
    }

    [Fact]
    public void Build_SourceTableAsSink()
    {
        var problem = Assert.Single(Problems("from = orders, to = orders"));

        Assert.Equal("to", problem.Option);
        Assert.Equal("table 'orders' (datagen) is not a sink; a sink is an http-sink, print or blackhole table, or a file table without columns.", problem.Message);
    }

    [Fact]
    public void Build_UnknownConnectorSuggestion()
    {
        var (plan, problems) = Build("""
            httpactors.tables {
              orders { connector = datagen, columns = "id STRING" }
              customers { connector = rest-lokup, url = "http://127.0.0.1:8080/client", columns = "id STRING" }
              out { connector = blackhole }
            }
            httpactors.pipelines.enrich { from = orders, to = out }
            """);

        Assert.Null(plan);
        var problem = Assert.Single(problems);
        Assert.Equal("table 'customers'", problem.Scope);
        Assert.Equal("connector", problem.Option);
        Assert.Equal("unknown connector 'rest-lokup'; did you mean 'rest-lookup'?", problem.Message);
    }

    [Fact]
    public void Build_UnknownConnectorListsKnown()
    {
        var (_, problems) = Build("""
            httpactors.tables.k { connector = kafka }
            httpactors.pipelines.p { from = k, to = k }
            """);

        Assert.Contains(problems, p => p.Scope == "table 'k'" &&
            p.Message == "unknown connector 'kafka'; known connectors: datagen, file, rest-lookup, http-sink, print, blackhole.");
    }

    [Fact]
    public void Build_MissingConnector()
    {
        var (_, problems) = Build("""
            httpactors.tables.t { columns = "id STRING" }
            httpactors.pipelines.p { from = t, to = t }
            """);

        Assert.Contains(problems, p => p.Scope == "table 't'" && p.Option == "connector" &&
            p.Message.StartsWith("missing required option", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_UnknownPipelineKey()
    {
        var problem = Assert.Single(Problems("from = orders, to = out, selct = [\"id\"]"));

        Assert.Equal("pipeline 'enrich'", problem.Scope);
        Assert.Equal("selct", problem.Option);
        Assert.Equal("unknown key; a pipeline has from, lookups, select, to.", problem.Message);
    }

    [Fact]
    public void Build_UnknownLookupKey()
    {
        var problem = Assert.Single(Problems("from = orders, lookups = [ { table = customers, alias = c, on { id = id } } ], to = out"));

        Assert.Equal("pipeline 'enrich', lookup 0", problem.Scope);
        Assert.Equal("alias", problem.Option);
        Assert.Equal("unknown key; a lookup has table, as, on, join, buffer-capacity.", problem.Message);
    }

    [Theory]
    [InlineData("outer")]
    [InlineData("full")]
    [InlineData("1")]
    [InlineData("0")]
    public void Build_InvalidJoin(string join)
    {
        var problem = Assert.Single(Problems($"from = orders, lookups = [ {{ table = customers, as = c, join = {join}, on {{ id = id }} }} ], to = out"));

        Assert.Equal("pipeline 'enrich', lookup 0", problem.Scope);
        Assert.Equal("join", problem.Option);
        Assert.Equal($"invalid value '{join}'; allowed values: inner, left.", problem.Message);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("ten")]
    [InlineData("2.5")]
    [InlineData("99999999999")]
    public void Build_InvalidBufferCapacity(string capacity)
    {
        var problem = Assert.Single(Problems(
            $"from = orders, lookups = [ {{ table = customers, as = c, buffer-capacity = {capacity}, on {{ id = id }} }} ], to = out"));

        Assert.Equal("pipeline 'enrich', lookup 0", problem.Scope);
        Assert.Equal("buffer-capacity", problem.Option);
        Assert.Equal(
            $"invalid value '{capacity}'; expected a whole number of elements from 1 to 2147483647, such as buffer-capacity = 100.",
            problem.Message);
    }

    [Theory]
    [InlineData("{ size = 5 }")]
    [InlineData("[5]")]
    [InlineData("{}")]
    public void Build_BufferCapacityNotSingleValue(string capacity)
    {
        var problem = Assert.Single(Problems(
            $"from = orders, lookups = [ {{ table = customers, as = c, buffer-capacity = {capacity}\n on {{ id = id }} }} ], to = out"));

        Assert.Equal("buffer-capacity", problem.Option);
        Assert.Equal("expected a single value, not an object or a list, such as buffer-capacity = 100.", problem.Message);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("500")]
    public void Build_BufferCapacityReachesJoin(string capacity)
    {
        var (plan, problems) = Build(Tables +
            $"httpactors.pipelines.enrich {{ from = orders, lookups = [ {{ table = customers, as = c, buffer-capacity = {capacity}, on {{ id = id }} }} ], to = out }}");

        Assert.Empty(problems);
        using (plan)
        {
            var join = Assert.Single(Assert.Single(plan!.Pipelines).Lookups);
            Assert.Equal(int.Parse(capacity, System.Globalization.CultureInfo.InvariantCulture), join.BufferCapacity);
        }
    }

    [Fact]
    public void Build_BufferCapacityDefault()
    {
        var (plan, problems) = Build(Tables + "httpactors.pipelines.enrich { from = orders, lookups = [ { table = customers, as = c, on { id = id } } ], to = out }");

        Assert.Empty(problems);
        using (plan)
        {
            var join = Assert.Single(Assert.Single(plan!.Pipelines).Lookups);
            Assert.Equal(100, join.BufferCapacity);
        }
    }

    [Fact]
    public void Build_LookupWithoutOn()
    {
        var problems = Problems("from = orders, lookups = [ { table = customers, as = c } ], to = out");

        Assert.Contains(problems, p => p.Scope == "pipeline 'enrich', lookup 0" && p.Option == "on" &&
            p.Message.StartsWith("missing; map lookup columns to upstream columns", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_MissingFrom()
    {
        var problem = Assert.Single(Problems("to = out"));

        Assert.Equal("from", problem.Option);
        Assert.Equal("missing; name a table declared under httpactors.tables.", problem.Message);
    }

    [Fact]
    public void Build_SelectMissingPath()
    {
        var problem = Assert.Single(Problems("from = orders, lookups = [ { table = customers, as = c, on { id = id } } ], select = [\"c.mssg\"], to = out"));

        Assert.Equal("pipeline 'enrich'", problem.Scope);
        Assert.Equal("select", problem.Option);
        Assert.Equal("'c.mssg': 'mssg' not found (columns there: id, msg, details).", problem.Message);
    }

    [Fact]
    public void Build_TableProblemsAndPipelineProblemsTogether()
    {
        var (plan, problems) = Build("""
            httpactors.tables {
              orders { connector = datagen, columns = "id STRING", fields.id.kidn = sequence }
              customers { connector = rest-lookup, url = "http://127.0.0.1:8080/client", columns = "id STRING", "http.source.lookup.request.timout" = 5s }
              out { connector = blackhole }
            }
            httpactors.pipelines.enrich {
              from = orders
              lookups = [ { table = customers, as = c, join = outer, on { id = id } } ]
              to = nowhere
            }
            """);

        Assert.Null(plan);
        Assert.Contains(problems, p => p.Scope == "table 'orders'" && p.Option == "fields.id.kidn");
        Assert.Contains(problems, p => p.Scope == "table 'customers'" && p.Option == "http.source.lookup.request.timout");
        Assert.Contains(problems, p => p.Scope == "pipeline 'enrich', lookup 0" && p.Option == "join");
        Assert.Contains(problems, p => p.Scope == "pipeline 'enrich'" && p.Option == "to");
        Assert.Equal(4, problems.Count);
    }

    private const string SharedEndpointTables = """
        httpactors.tables {
          orders { connector = datagen, columns = "id STRING" }
          customers {
            connector = rest-lookup
            url = "http://127.0.0.1:8080/client"
            columns = "id STRING, msg STRING"
          }
          out {
            connector = http-sink
            url = "http://127.0.0.1:8080/orders"
            "http.rate-limit.requests-per-second" = 10
            "http.circuit-breaker.failure-threshold" = 5
          }
        }
        httpactors.pipelines.enrich { from = orders, lookups = [ { table = customers, on { id = id } } ], to = out }
        """;

    [Fact]
    public void Build_SharedEndpointWithOtherLimits()
    {
        var (plan, problems) = Build(SharedEndpointTables);

        Assert.Null(plan);
        Assert.Equal(
            [
                "table 'out', option 'http.rate-limit.requests-per-second': is 10 here but unset (no limit) in table " +
                    "'customers', and both tables send to endpoint 'http://127.0.0.1:8080', whose rate limit and circuit " +
                    "breaker they share; set the same value in both, or give one of them its own http.endpoint.name.",
                "table 'out', option 'http.rate-limit.burst': is 2 here but 1 in table 'customers', and both tables send " +
                    "to endpoint 'http://127.0.0.1:8080', whose rate limit and circuit breaker they share; set the same " +
                    "value in both, or give one of them its own http.endpoint.name.",
                "table 'out', option 'http.circuit-breaker.failure-threshold': is 5 here but 0 in table 'customers', and " +
                    "both tables send to endpoint 'http://127.0.0.1:8080', whose rate limit and circuit breaker they " +
                    "share; set the same value in both, or give one of them its own http.endpoint.name.",
            ],
            problems.Select(p => p.ToString()));
    }

    [Fact]
    public void Build_SharedEndpointWithSameLimits()
    {
        var (plan, problems) = Build(SharedEndpointTables.Replace(
            "columns = \"id STRING, msg STRING\"",
            "columns = \"id STRING, msg STRING\"\n\"http.rate-limit.requests-per-second\" = 10\n\"http.circuit-breaker.failure-threshold\" = 5",
            StringComparison.Ordinal));

        Assert.Empty(problems);
        plan!.Dispose();
    }

    [Fact]
    public void Build_OwnEndpointNameKeepsLimitsApart()
    {
        var (plan, problems) = Build(SharedEndpointTables.Replace(
            "url = \"http://127.0.0.1:8080/orders\"",
            "url = \"http://127.0.0.1:8080/orders\"\n\"http.endpoint.name\" = orders-ingest",
            StringComparison.Ordinal));

        Assert.Empty(problems);
        plan!.Dispose();
    }

    private static (NodePlan? Plan, IReadOnlyList<ConfigurationProblem> Problems) Build(string hocon) =>
        NodePlan.Build(ConfigurationFactory.ParseString(hocon), NullLoggerFactory.Instance, TextWriter.Null);

    private static IReadOnlyList<ConfigurationProblem> Problems(string pipeline)
    {
        var (plan, problems) = Build(Tables + "httpactors.pipelines.enrich { " + pipeline + " }");
        plan?.Dispose();
        Assert.Null(plan);
        return problems;
    }
}
