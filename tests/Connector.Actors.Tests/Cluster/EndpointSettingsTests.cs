using Connector.Actors.Cluster;
using Connector.Actors.Lookup;
using Connector.Actors.Options;

namespace Connector.Actors.Tests.Cluster;

public sealed class EndpointSettingsTests
{
    [Theory]
    [InlineData("http.rate-limit.requests-per-second", "fast", "'fast'")]
    [InlineData("http.rate-limit.requests-per-second", "0", "'0'")]
    [InlineData("http.rate-limit.burst", "0", "'0'")]
    [InlineData("http.rate-limit.lease-timeout", "0s", "'0s'")]
    [InlineData("http.rate-limit.lease-timeout", "never", "'never'")]
    [InlineData("http.circuit-breaker.failure-threshold", "-1", "'-1'")]
    [InlineData("http.circuit-breaker.open-duration", "0ms", "'0ms'")]
    [InlineData("http.circuit-breaker.max-pause", "soon", "'soon'")]
    [InlineData("http.circuit-breaker.honour-retry-after", "maybe", "'maybe'")]
    public void Read_InvalidValue_NamesTableOptionAndValue(string option, string value, string quoted)
    {
        var options = new Dictionary<string, string>
        {
            ["url"] = "http://127.0.0.1:9/client",
            ["columns"] = "id STRING",
            ["http.rate-limit.requests-per-second"] = "10",
            [option] = value,
        };

        var (settings, problems) = LookupSettings.TryCreate(TableOptions.FromDictionary("customers", options));

        Assert.Null(settings);
        var problem = Assert.Single(problems);
        Assert.Equal("table 'customers'", problem.Scope);
        Assert.Equal(option, problem.Option);
        Assert.Contains(quoted, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_Defaults_UseUrlEndpoint()
    {
        var options = new Dictionary<string, string>
        {
            ["url"] = "http://127.0.0.1:9/client?x={{id}}",
            ["columns"] = "id STRING",
            ["http.source.lookup.query-creator"] = "generic-json-url",
            ["http.request.url-map"] = "id:id",
            ["http.rate-limit.requests-per-second"] = "50",
        };

        var settings = LookupSettings.Create(TableOptions.FromDictionary("customers", options)).Endpoint;

        Assert.Equal("http://127.0.0.1:9", settings.EndpointId);
        Assert.Equal(10, settings.Burst);
        Assert.Equal(TimeSpan.FromSeconds(10), settings.OpenDuration);
        Assert.Equal(TimeSpan.FromMinutes(1), settings.MaxPause);
        Assert.Equal(TimeSpan.FromMinutes(1), settings.LeaseTimeout);
        Assert.True(settings.HonourRetryAfter);
        Assert.Equal(0, settings.FailureThreshold);
    }

    [Fact]
    public void Read_LeaseTimeout_ParsesDuration()
    {
        var options = new Dictionary<string, string>
        {
            ["url"] = "http://127.0.0.1:9/client",
            ["columns"] = "id STRING",
            ["http.rate-limit.requests-per-second"] = "10",
            ["http.rate-limit.lease-timeout"] = "1500ms",
        };

        var settings = LookupSettings.Create(TableOptions.FromDictionary("customers", options)).Endpoint;

        Assert.Equal(TimeSpan.FromMilliseconds(1500), settings.LeaseTimeout);
    }

    [Theory]
    [InlineData("1ms")]
    [InlineData("100ms")]
    [InlineData("500ms")]
    [InlineData("500")]
    [InlineData("999ms")]
    public void Read_LeaseTimeoutBelowMinimum_IsProblem(string value)
    {
        var options = new Dictionary<string, string>
        {
            ["url"] = "http://127.0.0.1:9/client",
            ["columns"] = "id STRING",
            ["http.rate-limit.requests-per-second"] = "10",
            ["http.rate-limit.lease-timeout"] = value,
        };

        var (settings, problems) = LookupSettings.TryCreate(TableOptions.FromDictionary("customers", options));

        Assert.Null(settings);
        var problem = Assert.Single(problems);
        Assert.Equal("http.rate-limit.lease-timeout", problem.Option);
        Assert.Contains($"'{value}'", problem.Message, StringComparison.Ordinal);
        Assert.Contains("expected at least 1s", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_LeaseTimeoutAtMinimum_IsAccepted()
    {
        var options = new Dictionary<string, string>
        {
            ["url"] = "http://127.0.0.1:9/client",
            ["columns"] = "id STRING",
            ["http.rate-limit.requests-per-second"] = "10",
            ["http.rate-limit.lease-timeout"] = "1000",
        };

        var settings = LookupSettings.Create(TableOptions.FromDictionary("customers", options)).Endpoint;

        Assert.Equal(EndpointSettings.MinimumLeaseTimeout, settings.LeaseTimeout);
    }

    [Fact]
    public void Read_LeaseTimeoutWithoutRateLimit_IsProblem()
    {
        var options = new Dictionary<string, string>
        {
            ["url"] = "http://127.0.0.1:9/client",
            ["columns"] = "id STRING",
            ["http.rate-limit.lease-timeout"] = "10s",
        };

        var (settings, problems) = LookupSettings.TryCreate(TableOptions.FromDictionary("customers", options));

        Assert.Null(settings);
        var problem = Assert.Single(problems);
        Assert.Equal("http.rate-limit.lease-timeout", problem.Option);
        Assert.Contains("http.rate-limit.requests-per-second", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DifferencesFrom_ListsEachOption()
    {
        var first = new EndpointSettings("http://127.0.0.1:9", null, 1, 0, TimeSpan.FromSeconds(10), true, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        var second = first with { RequestsPerSecond = 2.5, OpenDuration = TimeSpan.FromMilliseconds(1500), HonourRetryAfter = false };

        var differences = first.DifferencesFrom(second);

        Assert.Equal(
            [
                ("http.rate-limit.requests-per-second", "unset (no limit)", "2.5"),
                ("http.circuit-breaker.open-duration", "10s", "1500ms"),
                ("http.circuit-breaker.honour-retry-after", "true", "false"),
            ],
            differences);
        Assert.Empty(first.DifferencesFrom(first with { }));
    }

    [Fact]
    public async Task GetGate_OtherSettings_WarnsKeepsFirst()
    {
        using var system = Akka.Actor.ActorSystem.Create("endpoint-settings-tests");
        var warnings = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var listener = system.ActorOf(Akka.Actor.Props.Create(() => new WarningListener(warnings)));
        system.EventStream.Subscribe(listener, typeof(Akka.Event.Warning));
        var first = new EndpointSettings("http://127.0.0.1:9", 10, 2, 0, TimeSpan.FromSeconds(10), true, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        var coordinator = EndpointCoordinator.Get(system);

        var gate = coordinator.GetGate(first);
        var shared = coordinator.GetGate(first with { RequestsPerSecond = 20 });

        Assert.Same(gate, shared);
        Assert.Equal(10, shared.Settings.RequestsPerSecond);
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (warnings.IsEmpty && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        var warning = Assert.Single(warnings);
        Assert.Contains("Endpoint http://127.0.0.1:9: a table sets http.rate-limit.requests-per-second = 20 (in force: 10)", warning);
        Assert.Contains("http.endpoint.name", warning);
        await system.Terminate();
    }

    private sealed class WarningListener : Akka.Actor.ReceiveActor
    {
        public WarningListener(System.Collections.Concurrent.ConcurrentQueue<string> warnings)
        {
            Receive<Akka.Event.Warning>(warning => warnings.Enqueue(warning.Message.ToString()!));
        }
    }
}
