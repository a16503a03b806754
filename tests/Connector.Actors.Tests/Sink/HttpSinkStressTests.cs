using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Akka.Streams;
using Akka.Streams.Dsl;
using Connector.Actors.Http;
using Connector.Actors.Options;
using Connector.Actors.Schema;
using Connector.Actors.Sink;
using Connector.Actors.Tests.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using static Connector.Actors.Tests.Sink.SinkTestData;

namespace Connector.Actors.Tests.Sink;

/// <summary>
/// Tests of the sink's request grouping, flush-size splits, in-flight limit, dead letters and attempt timeouts under
/// failures, against a Kestrel endpoint on 127.0.0.1 whose responses each test scripts.
/// </summary>
public sealed class HttpSinkStressTests : IClassFixture<ActorSystemFixture>
{
    private static readonly TimeSpan LongRunTimeout = TimeSpan.FromSeconds(90);

    private readonly ActorSystemFixture _actors;

    public HttpSinkStressTests(ActorSystemFixture actors)
    {
        _actors = actors;
    }

    [Theory]
    [InlineData("batch", 24)]
    [InlineData("single", 50)]
    public async Task RandomFailures_EveryRowDelivered(string mode, int maxInflight)
    {
        const int RowCount = 3000;
        var random = new Random(20261204);
        var inflight = 0;
        var maxSeenInflight = 0;
        await using var server = await ScriptedServer.StartAsync(async (context, body, accept) =>
        {
            var now = Interlocked.Increment(ref inflight);
            InterlockedMax(ref maxSeenInflight, now);
            var counted = true;
            try
            {
                int roll;
                lock (random)
                {
                    roll = random.Next(100);
                }

                if (roll < 25)
                {
                    context.Response.StatusCode = 503;
                    return;
                }

                if (roll < 30)
                {
                    // Far past the attempt timeout, so the client has given up before the 503 is sent. The client
                    // no longer counts the request as in flight once it times out, so neither does the server.
                    Interlocked.Decrement(ref inflight);
                    counted = false;
                    await Task.Delay(1500, CancellationToken.None);
                    context.Response.StatusCode = 503;
                    return;
                }

                accept(body);
            }
            finally
            {
                if (counted)
                {
                    Interlocked.Decrement(ref inflight);
                }
            }
        });
        var rows = Enumerable.Range(1, RowCount).Select(i => Order(i, new string('n', i % 17))).ToArray();
        var options = BaseOptions(server.Url);
        options[SinkOptions.BatchMaxSize] = "40";
        options[SinkOptions.RequestBatchSize] = "13";
        options[SinkOptions.FlushBufferSize] = "300";
        options[SinkOptions.FlushBufferTimeout] = "20ms";
        options[SinkOptions.RequestMode] = mode;
        options[SinkOptions.MaxInflight] = maxInflight.ToString(System.Globalization.CultureInfo.InvariantCulture);
        options[SinkOptions.MaxRetries] = "40";
        options[SinkOptions.FixedDelay] = "5ms";
        options[SinkOptions.RequestTimeout] = "500ms";
        using var sink = CreateSink(options);

        var result = await Source.From(rows).RunWith(sink.Sink, _actors.Materializer).WaitAsync(LongRunTimeout);

        // Delivery is at least once: when a loaded machine delays an accepted request's response past the attempt
        // timeout, the request is sent again and the endpoint receives its rows twice. Every row must arrive, and the
        // sink must count each row once.
        var delivered = server.AcceptedBodies.SelectMany(Ids).ToHashSet();
        Assert.Equal(Enumerable.Range(1, RowCount).Select(i => (long)i), delivered.Order());
        Assert.Equal(RowCount, result.Received);
        Assert.Equal(RowCount, result.Delivered);
        Assert.Equal(0, result.Failed);
        Assert.InRange(Volatile.Read(ref maxSeenInflight), 1, maxInflight);
        Assert.All(server.AcceptedBodies, body => Assert.InRange(RowBytes(body), 1, 300));
    }

    [Fact]
    public async Task SplitFailures_DeadLetterRowsExactly()
    {
        // Names with escapes and multi-byte characters, so row bounds that count characters instead of bytes show.
        string[] names = ["plain", "é", "日本語", "quote \" and \\ slash", "line\nbreak", "emoji 😀", new string('x', 90), ""];
        var rows = Enumerable.Range(1, 400).Select(i => Order(i, names[i % names.Length] + i)).ToArray();
        var expected = rows.ToDictionary(row => (long)row.Values[0]!, RowJsonWriter.ToJsonString);
        await using var server = await ScriptedServer.StartAsync((context, body, accept) =>
        {
            // A request fails for good when it carries a row whose id is a multiple of 7.
            if (Ids(body).Any(id => id % 7 == 0))
            {
                context.Response.StatusCode = 500;
                return Task.CompletedTask;
            }

            accept(body);
            return Task.CompletedTask;
        });
        var path = DeadLetterPath();
        var options = BaseOptions(server.Url);
        options[SinkOptions.BatchMaxSize] = "25";
        options[SinkOptions.FlushBufferSize] = "250";
        options[SinkOptions.MaxInflight] = "8";
        options[SinkOptions.MaxRetries] = "0";
        options[SinkOptions.OnFailure] = "dead-letter";
        options[SinkOptions.DeadLetterPath] = path;
        SinkResult result;
        using (var sink = CreateSink(options))
        {
            result = await Source.From(rows).RunWith(sink.Sink, _actors.Materializer).WaitAsync(LongRunTimeout);
        }

        var deadLetters = ReadDeadLetters(path).Select(line => line.GetProperty("row").GetRawText()).ToArray();
        var deliveredRows = server.AcceptedBodies
            .SelectMany(body => JsonDocument.Parse(body).RootElement.EnumerateArray().Select(row => row.GetRawText()))
            .ToArray();
        var deadIds = deadLetters.Select(IdOfRow).ToArray();
        var deliveredIds = deliveredRows.Select(IdOfRow).ToArray();
        Assert.Equal(deadIds.Length, deadIds.Distinct().Count());
        Assert.Equal(deliveredIds.Length, deliveredIds.Distinct().Count());
        Assert.Empty(deadIds.Intersect(deliveredIds));
        Assert.Equal(expected.Keys.Order(), deadIds.Concat(deliveredIds).Order());
        Assert.All(deadLetters, row => Assert.Equal(expected[IdOfRow(row)], row));
        Assert.All(deliveredRows, row => Assert.Equal(expected[IdOfRow(row)], row));
        Assert.All(expected.Keys.Where(id => id % 7 == 0), id => Assert.Contains(id, deadIds));
        Assert.All(server.AcceptedBodies, body => Assert.InRange(Encoding.UTF8.GetByteCount(body), 1, 250 + 26));
        Assert.Equal(deadIds.Length, result.DeadLettered);
        Assert.Equal(deliveredIds.Length, result.Delivered);
        Assert.Equal(0, result.Failed);
    }

    [Fact]
    public async Task MaxRecordSize_MidRequestRowFailsRequest()
    {
        await using var server = await ScriptedServer.StartAsync((_, body, accept) =>
        {
            accept(body);
            return Task.CompletedTask;
        });
        var rows = Enumerable.Range(1, 10).Select(i => i == 5 ? Order(i, new string('x', 144)) : Order(i)).ToArray();
        var options = BaseOptions(server.Url);
        options[SinkOptions.MaxRecordSize] = "199";
        options[SinkOptions.BatchMaxSize] = "10";
        using var sink = CreateSink(options);

        var exception = await Assert.ThrowsAsync<SinkFailedException>(
            () => Source.From(rows).RunWith(sink.Sink, _actors.Materializer).WaitAsync(RunTimeout));

        Assert.Contains("a row of 200 bytes exceeds sink.max-record-size (199 bytes)", exception.Message, StringComparison.Ordinal);
        Assert.Contains("Row starts: {\"id\":5,", exception.Message, StringComparison.Ordinal);
        Assert.Equal(1, exception.RowCount);
        Assert.Equal(10, exception.Result!.Received);
        Assert.Equal(10, exception.Result.Failed);
        Assert.Equal(0, exception.Result.Delivered);
        Assert.Empty(server.AcceptedBodies);
    }

    [Fact]
    public void MaxRecordSize_MessageKeepsWholeCharacters()
    {
        // The message quotes the row's first 120 bytes. The row is 23 ASCII bytes and then two-byte "é"s, so the
        // 120th byte is the first half of an "é", which must not become U+FFFD.
        var options = BaseOptions("http://127.0.0.1:1/orders");
        options[SinkOptions.MaxRecordSize] = "100";
        var encoder = new SinkRequestEncoder(Settings(options));
        var row = Order(1, "x" + new string('é', 100));
        Assert.Equal("{\"id\":1,\"first_name\":\"x", row.ToString()[..23]);

        var exception = Assert.Throws<SinkFailedException>(() => encoder.Encode([row]));

        Assert.DoesNotContain('\uFFFD', exception.Message);
    }

    [Fact]
    public async Task MaxRecordSize_RowAtLimitIsSent()
    {
        await using var server = await ScriptedServer.StartAsync((_, body, accept) =>
        {
            accept(body);
            return Task.CompletedTask;
        });
        var options = BaseOptions(server.Url);
        options[SinkOptions.MaxRecordSize] = "200";
        using var sink = CreateSink(options);

        var result = await Run(sink, [Order(1, new string('x', 144)), Order(2)], _actors.Materializer);

        Assert.Equal(2, result.Delivered);
        Assert.Equal([1L, 2], server.AcceptedBodies.SelectMany(Ids).Order());
    }

    [Fact]
    public async Task MaxRecordSize_SingleModeSettlesEarlierRows()
    {
        await using var server = await ScriptedServer.StartAsync((_, body, accept) =>
        {
            accept(body);
            return Task.CompletedTask;
        });
        var rows = Enumerable.Range(1, 6).Select(i => i == 4 ? Order(i, new string('x', 144)) : Order(i)).ToArray();
        var options = BaseOptions(server.Url);
        options[SinkOptions.RequestMode] = "single";
        options[SinkOptions.MaxRecordSize] = "100";
        options[SinkOptions.MaxInflight] = "1";
        using var sink = CreateSink(options);

        var exception = await Assert.ThrowsAsync<SinkFailedException>(
            () => Source.From(rows).RunWith(sink.Sink, _actors.Materializer).WaitAsync(RunTimeout));

        var result = exception.Result!;
        Assert.Contains("sink.max-record-size (100 bytes)", exception.Message, StringComparison.Ordinal);
        Assert.Equal(server.AcceptedBodies.Count, result.Delivered);
        Assert.DoesNotContain(4L, server.AcceptedBodies.SelectMany(Ids));
        Assert.Equal(result.Received, result.Delivered + result.Failed);
    }

    [Fact]
    public async Task ConcurrentRuns_FailureIgnoresBusyRun()
    {
        // Run B keeps up to 4 requests in flight. Run A, on the same sink, fails at once on a row over
        // sink.max-record-size, and its task must fail without waiting for run B to finish.
        await using var server = await ScriptedServer.StartAsync(async (_, body, accept) =>
        {
            await Task.Delay(200);
            accept(body);
        });
        var options = BaseOptions(server.Url);
        options[SinkOptions.BatchMaxSize] = "5";
        options[SinkOptions.MaxInflight] = "4";
        options[SinkOptions.MaxBuffered] = "20";
        options[SinkOptions.MaxRecordSize] = "100";
        using var sink = CreateSink(options);
        var (killSwitch, runB) = Source.From(Enumerable.Range(1, int.MaxValue))
            .Select(i => Order(i))
            .ViaMaterialized(KillSwitches.Single<Row>(), Keep.Right)
            .ToMaterialized(sink.Sink, Keep.Both)
            .Run(_actors.Materializer);
        await Task.Delay(500);

        var watch = Stopwatch.StartNew();
        var runA = Source.Single(Order(-1, new string('x', 144))).RunWith(sink.Sink, _actors.Materializer);
        var finished = await Task.WhenAny(runA, Task.Delay(TimeSpan.FromSeconds(5)));
        var elapsed = watch.Elapsed;
        killSwitch.Shutdown();
        await runB.WaitAsync(RunTimeout);

        Assert.True(finished == runA, "run A had not finished 5 s after its row was rejected");
        Assert.True(elapsed < TimeSpan.FromSeconds(2), $"run A took {elapsed.TotalMilliseconds:0} ms to fail");
        await Assert.ThrowsAsync<SinkFailedException>(() => runA);
    }

    [Fact]
    public async Task ConcurrentRuns_BothFailuresComplete()
    {
        // Two runs of one sink fail upstream while each has a 1 s request in flight. Both tasks must fail once
        // their requests settle.
        await using var server = await ScriptedServer.StartAsync(async (_, body, accept) =>
        {
            await Task.Delay(1000);
            accept(body);
        });
        var options = BaseOptions(server.Url);
        options[SinkOptions.BatchMaxSize] = "5";
        using var sink = CreateSink(options);

        var runA = Source.From(Orders(5)).Concat(Source.Failed<Row>(new InvalidOperationException("run A broke")))
            .RunWith(sink.Sink, _actors.Materializer);
        await Task.Delay(200);
        var runC = Source.From(Orders(5)).Concat(Source.Failed<Row>(new InvalidOperationException("run C broke")))
            .RunWith(sink.Sink, _actors.Materializer);
        var both = Task.WhenAll(runA, runC);
        var finished = await Task.WhenAny(both, Task.Delay(TimeSpan.FromSeconds(10)));

        Assert.True(runC.IsCompleted, "run C had not finished 10 s after it failed");
        Assert.True(runA.IsCompleted, "run A had not finished 10 s after it failed");
        Assert.Same(both, finished);
        await Assert.ThrowsAsync<SinkFailedException>(() => runA);
        await Assert.ThrowsAsync<SinkFailedException>(() => runC);
        Assert.Equal(10, server.AcceptedBodies.SelectMany(Ids).Count());
    }

    [Fact]
    public async Task FlushTimeout_SlowUpstreamFlushesByTime()
    {
        var arrivals = new ConcurrentQueue<(long Ticks, int Rows)>();
        await using var server = await ScriptedServer.StartAsync((_, body, accept) =>
        {
            arrivals.Enqueue((Stopwatch.GetTimestamp(), Ids(body).Length));
            accept(body);
            return Task.CompletedTask;
        });
        var options = BaseOptions(server.Url);
        options[SinkOptions.BatchMaxSize] = "1000";
        options[SinkOptions.FlushBufferTimeout] = "200ms";
        using var sink = CreateSink(options);
        var start = Stopwatch.GetTimestamp();

        // One row every 50 ms for 1.5 s, so each 200 ms flush contains about 4 rows.
        var result = await Source.From(Orders(30))
            .Throttle(1, TimeSpan.FromMilliseconds(50), 1, ThrottleMode.Shaping)
            .RunWith(sink.Sink, _actors.Materializer)
            .WaitAsync(RunTimeout);

        var received = arrivals.ToArray();
        Assert.Equal(30, result.Delivered);
        Assert.InRange(received.Length, 5, 15);
        Assert.All(received, arrival => Assert.InRange(arrival.Rows, 1, 8));
        var firstFlush = Stopwatch.GetElapsedTime(start, received.Min(arrival => arrival.Ticks));
        Assert.InRange(firstFlush, TimeSpan.FromMilliseconds(150), TimeSpan.FromMilliseconds(800));
    }

    [Fact]
    public async Task UpstreamFailure_WaitsForRequestsInFlight()
    {
        await using var server = await ScriptedServer.StartAsync(async (_, body, accept) =>
        {
            accept(body);
            await Task.Delay(300);
        });
        var options = BaseOptions(server.Url);
        options[SinkOptions.BatchMaxSize] = "5";
        options[SinkOptions.MaxInflight] = "4";
        options[SinkOptions.MaxBuffered] = "5";
        using var sink = CreateSink(options);
        var rows = Source.From(Orders(30)).Concat(Source.Failed<Row>(new InvalidOperationException("the source broke")));

        var exception = await Assert.ThrowsAsync<SinkFailedException>(
            () => rows.RunWith(sink.Sink, _actors.Materializer).WaitAsync(RunTimeout));

        var result = exception.Result!;
        var sentRows = server.AcceptedBodies.SelectMany(Ids).Count();
        Assert.Contains("the source broke", exception.Message, StringComparison.Ordinal);
        Assert.IsType<InvalidOperationException>(exception.InnerException);
        Assert.Equal(sentRows, result.Delivered);
        Assert.Equal(result.Received, result.Delivered + result.Failed);
        Assert.Equal(0, sink.Pending - result.Failed);
    }

    [Fact]
    public async Task StalledEndpoint_BoundsRowsHeldWithManyInflight()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var requests = 0;
        await using var server = await ScriptedServer.StartAsync(async (_, body, accept) =>
        {
            Interlocked.Increment(ref requests);
            await release.Task;
            accept(body);
        });
        var options = BaseOptions(server.Url);
        options[SinkOptions.BatchMaxSize] = "10";
        options[SinkOptions.MaxInflight] = "4";
        options[SinkOptions.MaxBuffered] = "20";
        options[SinkOptions.RequestTimeout] = "60s";
        using var sink = CreateSink(options);
        long pulled = 0;
        var (killSwitch, completion) = Source.From(Enumerable.Range(1, int.MaxValue))
            .Select(i =>
            {
                Interlocked.Increment(ref pulled);
                return Order(i);
            })
            .ViaMaterialized(KillSwitches.Single<Row>(), Keep.Right)
            .ToMaterialized(sink.Sink, Keep.Both)
            .Run(_actors.Materializer);

        long last = -1;
        for (var i = 0; i < 100 && (Interlocked.Read(ref pulled) != last || Volatile.Read(ref requests) < 4); i++)
        {
            last = Interlocked.Read(ref pulled);
            await Task.Delay(100);
        }

        var pulledWhileStalled = Interlocked.Read(ref pulled);
        var stalledRequests = Volatile.Read(ref requests);
        killSwitch.Shutdown();
        release.SetResult();
        var result = await completion.WaitAsync(RunTimeout);

        // 4 requests of 10 rows in flight, 20 buffered plus at most one request over, and one request being filled.
        // The last 16 rows are slack for the stream stages in front of the sink.
        Assert.Equal(4, stalledRequests);
        Assert.InRange(pulledWhileStalled, 60, 4 * 10 + 20 + 9 + 9 + 16);
        Assert.Equal(result.Received, result.Delivered);
    }

    [Fact]
    public async Task TimedOutAttempts_DoNotShortenLaterTimeouts()
    {
        // Rows with even ids stall far past the 2 s timeout, and rows with odd ids take 100 ms, so every odd row must
        // be delivered even when its attempt reuses a source that an earlier attempt returned. The margin is wide
        // because a cold test process on 2 cores delayed some responses by up to 800 ms while its thread pool grew.
        await using var server = await ScriptedServer.StartAsync(async (context, body, accept) =>
        {
            var id = Ids(body).Single();
            if (id % 2 == 0)
            {
                await Task.Delay(4000, CancellationToken.None);
                context.Response.StatusCode = 503;
                return;
            }

            await Task.Delay(100, CancellationToken.None);
            accept(body);
        });
        var outcomes = new ConcurrentQueue<SinkRequestOutcome>();
        var options = BaseOptions(server.Url);
        options[SinkOptions.RequestMode] = "single";
        options[SinkOptions.RequestTimeout] = "2s";
        options[SinkOptions.MaxRetries] = "0";
        options[SinkOptions.MaxInflight] = "16";
        options[SinkOptions.OnFailure] = "drop";
        using var sink = CreateSink(options, outcomes.Enqueue);

        // A run of fast rows first, then two mixed runs on the same sink, so that later attempts take back the
        // sources of earlier ones.
        var warmUp = Enumerable.Range(1, 16).Select(i => Order((2 * i) - 1 + 1000));
        await Source.From(warmUp).RunWith(sink.Sink, _actors.Materializer).WaitAsync(LongRunTimeout);
        var first = await Source.From(Orders(64)).RunWith(sink.Sink, _actors.Materializer).WaitAsync(LongRunTimeout);
        var second = await Source.From(Enumerable.Range(65, 64).Select(i => Order(i)))
            .RunWith(sink.Sink, _actors.Materializer)
            .WaitAsync(LongRunTimeout);

        // The counts accumulate over every run of the sink.
        var errors = string.Join(" | ", outcomes.Where(outcome => !outcome.Succeeded).Select(outcome => outcome.Error).Distinct());
        Assert.True(first.Delivered == 16 + 32, $"{first.Delivered - 16} of 32 fast rows delivered in the first run; errors: {errors}");
        Assert.Equal(32, first.Dropped);
        Assert.Equal(16 + 64, second.Delivered);
        Assert.Equal(64, second.Dropped);
        Assert.Equal(64, outcomes.Count(outcome => !outcome.Succeeded));
        Assert.Equal(16 + 64, server.AcceptedBodies.Count);
        Assert.All(server.AcceptedBodies, body => Assert.Equal(1, Ids(body).Single() % 2));
    }

    [Fact]
    public async Task Sender_NoAttemptTimesOutEarly()
    {
        // Requests whose body is "slow" stall far past the 300 ms timeout, and the others respond after 100 ms. Eight
        // waves of 24 concurrent requests make later attempts reuse the sources of earlier ones, timed out or not.
        // Only early timeouts fail the test: a fast request may still time out late when a cold thread pool stalls.
        await using var server = await ScriptedServer.StartAsync(async (context, body, accept) =>
        {
            await Task.Delay(body == "slow" ? 2000 : 100, CancellationToken.None);
            accept(body);
        });
        var options = BaseOptions(server.Url);
        options[SinkOptions.RequestTimeout] = "300ms";
        options[SinkOptions.MaxRetries] = "0";
        var settings = Settings(options);
        using var transport = TableTransport.Create(
            settings.TableName,
            settings.Client,
            settings.Headers,
            settings.Oidc,
            settings.Endpoint,
            settings.Retry,
            settings.RetryCodes.Contains,
            settings.RequestTimeout,
            honourRetryAfter: true,
            settings.LoggingLevel,
            Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance,
            TimeProvider.System,
            new ConnectorMetrics(),
            null);
        var early = new ConcurrentQueue<string>();

        for (var wave = 0; wave < 8; wave++)
        {
            var sends = Enumerable.Range(0, 24).Select(async i =>
            {
                var body = (i + wave) % 3 == 0 ? "slow" : "fast";
                var request = new OutgoingRequest(HttpMethod.Post, new Uri(server.Url), Encoding.UTF8.GetBytes(body));
                var watch = Stopwatch.StartNew();
                var exchange = await transport.Sender.SendAsync(request, CancellationToken.None);
                var elapsed = watch.Elapsed;
                // Timers run on a coarse clock that advances once per kernel tick (4 ms on the test machine). Under the
                // full suite's load, timeouts that were on time ended 294 ms after the Stopwatch started. A timeout
                // inherited from an earlier attempt would end 100 ms or more too soon.
                if (!exchange.HasResponse && elapsed < TimeSpan.FromMilliseconds(280))
                {
                    early.Enqueue($"wave {wave} {body}: {exchange.Failure!.Message} after {elapsed.TotalMilliseconds:0} ms");
                }
            });
            await Task.WhenAll(sends);
        }

        Assert.True(early.IsEmpty, "attempts failed before their timeout: " + string.Join(" | ", early));
    }

    [Fact]
    public void AttemptTimeouts_ReusedSourceStaysLive()
    {
        var timeouts = new AttemptTimeouts(TimeProvider.System);
        var early = 0;
        for (var i = 0; i < 3000; i++)
        {
            // The attempt ends right around its 1 ms timeout, and its caller cancels just after it ends.
            using var caller = new CancellationTokenSource();
            var source = timeouts.Rent(TimeSpan.FromMilliseconds(1), caller.Token, out var link);
            var spin = Stopwatch.StartNew();
            var until = 0.8 + (i % 5 * 0.1);
            while (spin.Elapsed.TotalMilliseconds < until)
            {
                Thread.SpinWait(20);
            }

            timeouts.Return(source, link);
            caller.Cancel();

            var next = timeouts.Rent(TimeSpan.FromHours(1), CancellationToken.None, out var nextLink);
            Thread.SpinWait(2000);
            if (next.IsCancellationRequested)
            {
                early++;
            }

            timeouts.Return(next, nextLink);
        }

        Assert.Equal(0, early);
    }

    [Fact]
    public async Task SlowBody_TimesOut()
    {
        await using var server = await ScriptedServer.StartAsync(async (context, _, _) =>
        {
            context.Response.StatusCode = 200;
            context.Response.ContentLength = 20;
            await context.Response.WriteAsync("0123456789");
            await context.Response.Body.FlushAsync();
            await Task.Delay(3000, CancellationToken.None);
            await context.Response.WriteAsync("0123456789");
        });
        var outcomes = new ConcurrentQueue<SinkRequestOutcome>();
        var options = BaseOptions(server.Url);
        options[SinkOptions.RequestTimeout] = "300ms";
        options[SinkOptions.MaxRetries] = "0";
        options[SinkOptions.OnFailure] = "drop";
        using var sink = CreateSink(options, outcomes.Enqueue);
        var watch = Stopwatch.StartNew();

        var result = await Run(sink, Orders(2), _actors.Materializer);

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"the sink took {watch.Elapsed.TotalMilliseconds:0} ms");
        Assert.Equal(2, result.Dropped);
        var outcome = Assert.Single(outcomes);
        Assert.Contains("timed out after 300 ms", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unauthorized_ConcurrentRequestsShareOneFreshToken()
    {
        await using var server = await ScriptedServer.StartAsync(async (context, body, accept) =>
        {
            await Task.Delay(100);
            if (context.Request.Headers.Authorization.ToString() == "Bearer token-1")
            {
                context.Response.StatusCode = 401;
                return;
            }

            accept(body);
        });
        await using var tokens = await TokenServer.StartNumberedAsync(expiresIn: 3600);
        var options = BaseOptions(server.Url);
        options[CommonOptions.OidcTokenEndpoint] = tokens.Url;
        options[CommonOptions.OidcTokenRequest] = "grant_type=client_credentials&client_id=a&client_secret=b";
        options[SinkOptions.BatchMaxSize] = "2";
        options[SinkOptions.MaxInflight] = "16";
        using var sink = CreateSink(options);

        var result = await Run(sink, Orders(32), _actors.Materializer);

        Assert.Equal(32, result.Delivered);
        Assert.Equal(0, result.Retried);
        Assert.Equal(2, tokens.Count);
        Assert.Equal(Enumerable.Range(1, 32).Select(i => (long)i), server.AcceptedBodies.SelectMany(Ids).Order());
    }

    [Fact]
    public async Task Unauthorized_FreshTokenAlsoRejectedFailsOnce()
    {
        var requests = 0;
        await using var server = await ScriptedServer.StartAsync((context, _, _) =>
        {
            Interlocked.Increment(ref requests);
            context.Response.StatusCode = 401;
            return Task.CompletedTask;
        });
        await using var tokens = await TokenServer.StartNumberedAsync(expiresIn: 3600);
        var options = BaseOptions(server.Url);
        options[CommonOptions.OidcTokenEndpoint] = tokens.Url;
        options[CommonOptions.OidcTokenRequest] = "grant_type=client_credentials&client_id=a&client_secret=b";
        using var sink = CreateSink(options);

        var exception = await RunFailing(sink, Orders(3), _actors.Materializer);

        Assert.Equal(401, exception.StatusCode);
        Assert.Equal(2, Volatile.Read(ref requests));
        Assert.Equal(2, tokens.Count);
        Assert.Equal(3, exception.Result!.Failed);
    }

    private static long IdOfRow(string row)
    {
        using var document = JsonDocument.Parse(row);
        return document.RootElement.GetProperty("id").GetInt64();
    }

    // Returns the bytes of a body's rows, without the brackets and commas of a JSON array.
    private static int RowBytes(string body)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        return root.ValueKind == JsonValueKind.Array
            ? root.EnumerateArray().Sum(row => Encoding.UTF8.GetByteCount(row.GetRawText()))
            : Encoding.UTF8.GetByteCount(root.GetRawText());
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var previous = Interlocked.CompareExchange(ref target, value, current);
            if (previous == current)
            {
                return;
            }

            current = previous;
        }
    }
}

/// <summary>
/// A Kestrel HTTP/1.1 endpoint on 127.0.0.1 with a free port. Each request's body is read whole, then a script
/// responds to it, and the bodies that the script accepts are kept. The response is 200 unless the script sets another.
/// </summary>
internal sealed class ScriptedServer : IAsyncDisposable
{
    private readonly WebApplication _application;
    private readonly ConcurrentQueue<string> _accepted = new();

    private ScriptedServer(WebApplication application)
    {
        _application = application;
    }

    /// <summary>The sink URL, such as <c>http://127.0.0.1:41234/orders</c>.</summary>
    public string Url { get; private set; } = string.Empty;

    /// <summary>Bodies that the script accepted, in the order it accepted them.</summary>
    public IReadOnlyCollection<string> AcceptedBodies => _accepted.ToArray();

    /// <param name="respond">Receives the context, the body and a callback that keeps the body as accepted.</param>
    public static async Task<ScriptedServer> StartAsync(Func<HttpContext, string, Action<string>, Task> respond)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var application = builder.Build();
        var server = new ScriptedServer(application);
        application.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            await respond(context, body, server._accepted.Enqueue);
        });
        await application.StartAsync();
        server.Url = application.Urls.Single() + "/orders";
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _application.StopAsync();
        await _application.DisposeAsync();
    }
}
