using System.Diagnostics;
using Connector.Actors.Http;
using Connector.Actors.Lookup;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Time.Testing;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Types;
using WireMock.Util;

namespace Connector.Actors.Tests.Lookup;

/// <summary>Retries of connection failures, timeouts and retry status codes, and the waits between them.</summary>
public sealed class RetryTests : LookupTestBase
{
    private const string Found = """{"msg":"found"}""";

    private void RespondInSequence(params int[] statuses)
    {
        for (var i = 0; i < statuses.Length; i++)
        {
            var body = statuses[i] == 200 ? Found : $"attempt {i + 1} failed";
            var mapping = Server.Given(Request.Create().UsingGet()).InScenario("sequence");
            var state = i == 0 ? mapping : mapping.WhenStateIs($"after {i}");
            var next = i + 1 < statuses.Length ? state.WillSetStateTo($"after {i + 1}") : state;
            next.RespondWith(Response.Create().WithStatusCode(statuses[i]).WithBody(body));
        }
    }

    private Dictionary<string, string> Options(int maxRetries)
    {
        var options = BaseOptions();
        options["lookup.max-retries"] = maxRetries.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return options;
    }

    [Fact]
    public async Task RetryCode_RetriedUntilSuccess()
    {
        RespondInSequence(503, 503, 200);
        var metrics = new ConnectorMetrics();

        var output = await RunAsync(Options(3), IdSource, [SourceRow(IdSource, "1")], IdJoin, new LookupJoinOptions { Metrics = metrics });

        Assert.Equal("found", LookupRow(Assert.Single(output))["msg"]);
        Assert.Equal(3, Requests.Count);
        Assert.Equal(3, metrics.Requests);
        Assert.Equal(2, metrics.Retries);
        Assert.Equal(0, metrics.Failures);
    }

    [Fact]
    public async Task RetryCode_RetriesRunOut()
    {
        Server.Given(Request.Create().UsingGet())
            .RespondWith(Response.Create().WithStatusCode(503).WithBody("busy"));

        var failure = await LookupFailureAsync(Options(3));

        Assert.Equal(4, Requests.Count);
        Assert.Equal(503, failure.StatusCode);
        Assert.Contains("retries ran out after 4 attempt(s)", failure.Message, StringComparison.Ordinal);
        Assert.Contains("busy", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MaxRetriesZero_OneRequest()
    {
        Server.Given(Request.Create().UsingGet())
            .RespondWith(Response.Create().WithStatusCode(503).WithBody("busy"));

        var failure = await LookupFailureAsync(Options(0));

        Assert.Single(Requests);
        Assert.Equal(503, failure.StatusCode);
    }

    [Fact]
    public async Task ErrorCode_NotRetried()
    {
        Server.Given(Request.Create().UsingGet())
            .RespondWith(Response.Create().WithStatusCode(400).WithBody("bad request"));

        var failure = await LookupFailureAsync(Options(3));

        Assert.Single(Requests);
        Assert.Equal(400, failure.StatusCode);
        Assert.DoesNotContain("retries ran out", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectionRefused_RetriedThenFails()
    {
        var options = Options(2);
        options["url"] = $"http://127.0.0.1:{ClosedPort()}/customers";
        var metrics = new ConnectorMetrics();

        var failure = await Assert.ThrowsAsync<LookupFailedException>(
            () => RunAsync(options, IdSource, [SourceRow(IdSource, "1")], IdJoin, new LookupJoinOptions { Metrics = metrics }));

        Assert.Equal(3, metrics.Requests);
        Assert.Equal(2, metrics.Retries);
        Assert.Null(failure.StatusCode);
        Assert.Contains("got no response after 3 attempt(s)", failure.Message, StringComparison.Ordinal);
        Assert.IsType<HttpRequestException>(failure.InnerException);
    }

    [Fact]
    public async Task Timeout_RetriedAndCompletes()
    {
        // The first attempt takes longer than the 200 ms timeout, and the server responds to the retry at once.
        var attempts = 0;
        Server.Given(Request.Create().UsingGet())
            .RespondWith(Response.Create().WithCallback(async _ =>
            {
                if (Interlocked.Increment(ref attempts) == 1)
                {
                    await Task.Delay(TimeSpan.FromSeconds(1.5));
                }

                return new ResponseMessage
                {
                    StatusCode = 200,
                    BodyData = new BodyData { BodyAsString = Found, DetectedBodyType = BodyType.String },
                };
            }));
        var options = Options(1);
        options["http.source.lookup.request.timeout"] = "200ms";
        var stopwatch = Stopwatch.StartNew();

        var output = await LookupAsync(options, "1");

        stopwatch.Stop();
        Assert.Equal("found", LookupRow(Assert.Single(output))["msg"]);
        Assert.Equal(2, Volatile.Read(ref attempts));
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(1.2), $"took {stopwatch.Elapsed}, so the slow attempt was not cut off");
    }

    [Fact]
    public async Task Timeout_RetriesRunOut()
    {
        Server.Given(Request.Create().UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(Found).WithDelay(TimeSpan.FromSeconds(1)));
        var options = Options(1);
        options["http.source.lookup.request.timeout"] = "150ms";
        var metrics = new ConnectorMetrics();

        var failure = await Assert.ThrowsAsync<LookupFailedException>(
            () => RunAsync(options, IdSource, [SourceRow(IdSource, "1")], IdJoin, new LookupJoinOptions { Metrics = metrics }));

        Assert.Equal(2, metrics.Requests);
        Assert.Null(failure.StatusCode);
        Assert.Contains("timed out after 150 ms", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RetryCodeExhausted_Fails()
    {
        Server.Given(Request.Create().UsingGet())
            .RespondWith(Response.Create().WithStatusCode(503).WithBody("busy"));
        var options = Options(2);
        options["http.source.lookup.retry-codes"] = "503";

        var failure = await LookupFailureAsync(options);

        Assert.Equal(3, Requests.Count);
        Assert.Equal(503, failure.StatusCode);
        Assert.Contains("status 503", failure.Message, StringComparison.Ordinal);
        Assert.Contains("retries ran out after 3 attempt(s)", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RetryCodeExhausted_ErrorState()
    {
        Server.Given(Request.Create().UsingGet())
            .RespondWith(Response.Create().WithStatusCode(503).WithBody("busy"));
        var options = Options(2);
        options["http.source.lookup.retry-codes"] = "503";
        options["http.source.lookup.continue-on-error"] = "true";
        options["columns"] = "id STRING, msg STRING, " +
            "status INT METADATA FROM 'http-status-code', " +
            "state STRING METADATA FROM 'http-completion-state', " +
            "err STRING METADATA FROM 'error-string'";
        var metrics = new ConnectorMetrics();

        var output = await RunAsync(options, IdSource, [SourceRow(IdSource, "1")], IdJoin, new LookupJoinOptions { Metrics = metrics });

        var row = LookupRow(Assert.Single(output));
        Assert.Equal(CompletionState.HttpErrorStatus, row["state"]);
        Assert.Equal(503, row["status"]);
        Assert.Equal("busy", row["err"]);
        Assert.Null(row["msg"]);
        Assert.Equal(3, Requests.Count);
        Assert.Equal(1, metrics.Failures);
    }

    [Fact]
    public async Task Timeout_EveryElementCompletes()
    {
        // WireMock 1.25.0 keeps a delayed response running after the client aborts the request, and stopping the server
        // then took about 30 s when measured, so this Kestrel server waits for key 2 only until the client aborts.
        await using var server = await RecordingKestrelServer.StartAsync(HttpProtocols.Http1, hangingQuery: "?id=2");
        var options = Options(1);
        options["url"] = server.BaseUrl + "/customers";
        options["http.source.lookup.request.thread-pool.size"] = "4";
        options["http.source.lookup.request.timeout"] = "200ms";
        options["http.source.lookup.continue-on-error"] = "true";
        options["columns"] = "id STRING, msg STRING, state STRING METADATA FROM 'http-completion-state'";

        // The first requests of a test process can take longer than 200 ms, so a lookup with the default timeout
        // warms up first.
        var warmUp = new Dictionary<string, string>(options);
        warmUp.Remove("http.source.lookup.request.timeout");
        await LookupAsync(warmUp, "0");
        var stopwatch = Stopwatch.StartNew();

        var output = await LookupAsync(options, "1", "2", "3", "4");

        stopwatch.Stop();
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(3), $"took {stopwatch.Elapsed}; two 200 ms attempts should take well under 3 s");
        Assert.Equal(["1", "2", "3", "4"], output.Select(row => row["id"]));
        Assert.Equal(
            [CompletionState.Success, CompletionState.Exception, CompletionState.Success, CompletionState.Success],
            output.Select(row => LookupRow(row)["state"]));
        Assert.Equal(["found", null, "found", "found"], output.Select(row => LookupRow(row)["msg"]));
        Assert.Equal(2, server.Requests.Count(r => r.Query == "?id=2"));
    }

    [Fact]
    public void ExponentialDelay_DoublesUpToMax()
    {
        var options = BaseOptions();
        options["lookup.max-retries"] = "6";
        options["http.source.lookup.retry-strategy.type"] = "EXPONENTIAL-DELAY";
        options["http.source.lookup.retry-strategy.exponential-delay.initial-backoff"] = "15ms";
        options["http.source.lookup.retry-strategy.exponential-delay.backoff-multiplier"] = "2";
        options["http.source.lookup.retry-strategy.exponential-delay.max-backoff"] = "120ms";

        var retry = CreateSettings(options).Retry;

        Assert.Equal(RetryStrategyKind.ExponentialDelay, retry.Strategy);
        Assert.Equal(6, retry.MaxRetries);
        int[] expected = [15, 30, 60, 120, 120, 120];
        for (var n = 1; n <= expected.Length; n++)
        {
            Assert.Equal(TimeSpan.FromMilliseconds(expected[n - 1]), retry.DelayBeforeRetry(n));
        }
    }

    [Fact]
    public void FixedDelay_SameEveryRetry()
    {
        var options = BaseOptions();
        options["http.source.lookup.retry-strategy.fixed-delay.delay"] = "250";

        var retry = CreateSettings(options).Retry;

        Assert.Equal(RetryStrategyKind.FixedDelay, retry.Strategy);
        Assert.Equal(TimeSpan.FromMilliseconds(250), retry.DelayBeforeRetry(1));
        Assert.Equal(TimeSpan.FromMilliseconds(250), retry.DelayBeforeRetry(3));
    }

    [Fact]
    public async Task ExponentialDelay_WaitsOnClock()
    {
        Server.Given(Request.Create().UsingGet())
            .RespondWith(Response.Create().WithStatusCode(503).WithBody("busy"));
        var options = BaseOptions();
        options["lookup.max-retries"] = "2";
        options["http.source.lookup.retry-strategy.type"] = "exponential-delay";
        options["http.source.lookup.retry-strategy.exponential-delay.initial-backoff"] = "15ms";
        options["http.source.lookup.retry-strategy.exponential-delay.backoff-multiplier"] = "2";
        options["http.source.lookup.retry-strategy.exponential-delay.max-backoff"] = "120ms";
        var clock = new FakeTimeProvider();
        var metrics = new ConnectorMetrics();
        var joinOptions = new LookupJoinOptions { TimeProvider = clock, Metrics = metrics };

        var run = RunAsync(options, IdSource, [SourceRow(IdSource, "1")], IdJoin, joinOptions);

        // Advancing the clock to 1 ms short of each delay sends no request, and advancing it by the last 1 ms sends the retry.
        await WaitForRetryScheduledAsync(metrics, retries: 1);
        await AssertRequestsStayAsync(1, clock, TimeSpan.FromMilliseconds(14));
        clock.Advance(TimeSpan.FromMilliseconds(1));
        await WaitForRequestsAsync(2);

        await WaitForRetryScheduledAsync(metrics, retries: 2);
        await AssertRequestsStayAsync(2, clock, TimeSpan.FromMilliseconds(29));
        clock.Advance(TimeSpan.FromMilliseconds(1));
        await WaitForRequestsAsync(3);

        var failure = await Assert.ThrowsAsync<LookupFailedException>(() => run);
        Assert.Contains("retries ran out after 3 attempt(s)", failure.Message, StringComparison.Ordinal);
        Assert.Equal(3, Requests.Count);
    }

    private static async Task WaitForRetryScheduledAsync(ConnectorMetrics metrics, int retries)
    {
        // Polly 8 calls OnRetry, which counts the retry, just before it starts the wait, so a short real pause lets
        // the wait register its timer on the fake clock before the test advances it.
        await WaitUntilAsync(() => metrics.Retries >= retries, $"retry {retries} to be scheduled");
        await Task.Delay(50);
    }

    private async Task AssertRequestsStayAsync(int count, FakeTimeProvider clock, TimeSpan advance)
    {
        clock.Advance(advance);
        await Task.Delay(150);
        Assert.Equal(count, Requests.Count);
    }

    private Task WaitForRequestsAsync(int count) => WaitUntilAsync(() => Requests.Count >= count, $"{count} requests");

    private static async Task WaitUntilAsync(Func<bool> condition, string description)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(5), $"timed out waiting for {description}");
            await Task.Delay(10);
        }
    }
}
