using Akka.Streams.Dsl;
using Connector.Actors.Http;
using Connector.Actors.Lookup;
using Connector.Actors.Options;
using Connector.Actors.Schema;
using Microsoft.Extensions.Logging.Abstractions;

namespace Connector.Benchmarks.Scenarios;

/// <summary>
/// Sides that each run one part of the GET lookup path, to split the gap between the join and the plain loop by cause.
/// The parts are the connector's HTTP sending, its whole lookup without the stream, and the stream without the
/// connector. Each runs over the same keys and against the same baseline as the GET lookup scenarios.
/// </summary>
internal static class BreakdownSides
{
    /// <summary>Returns the settings of the GET lookup table that the breakdown sides share with the join.</summary>
    public static LookupSettings GetSettings(BenchmarkContext context, int parallelism) =>
        LookupSettings.Create(TableOptions.FromDictionary(
            "customers",
            LookupJoinSide.LookupTableOptions(context.Server, HttpMethod.Get, parallelism)));
}

/// <summary>
/// Workers that send each GET through the connector's <see cref="ResilientSender"/> (Polly retry and timeout, the
/// table's connection pool) and check the status, with no request building beyond the URL and no decoding.
/// </summary>
internal sealed class SenderLoopSide : IBenchmarkSide
{
    private readonly SocketsHttpHandler _handler;
    private readonly HttpMessageInvoker _invoker;
    private readonly ResilientSender _sender;
    private readonly string _urlPrefix;
    private readonly string[] _keys;
    private readonly int _concurrency;

    public SenderLoopSide(BenchmarkContext context, int concurrency, int elements)
    {
        var settings = BreakdownSides.GetSettings(context, concurrency);
        _handler = HttpClientFactory.CreateHandler(settings.Client);
        _invoker = new HttpMessageInvoker(_handler, disposeHandler: false);
        _sender = new ResilientSender(
            _invoker,
            settings.Client.RequestVersion,
            settings.Headers,
            null,
            settings.Retry,
            status => settings.StatusCodes.Classify(status) == StatusClass.Retry,
            settings.RequestTimeout,
            honourRetryAfter: false,
            TimeProvider.System,
            new ConnectorMetrics(),
            new HttpExchangeLogger(NullLogger.Instance, settings.LoggingLevel, settings.TableName));
        _urlPrefix = context.Server.BaseUrl + "/customer?id=";
        _keys = Enumerable.Range(0, elements).Select(BenchmarkData.CustomerId).ToArray();
        _concurrency = concurrency;
        Description = $"ResilientSender in {concurrency} worker(s), no decoding";
    }

    public string Description { get; }

    public async Task<SideRun> RunAsync(int elements, CancellationToken cancellationToken)
    {
        await PlainLoop.RunAsync(_concurrency, elements, SendOneAsync, cancellationToken);
        return new SideRun(elements, null);
    }

    public ValueTask DisposeAsync()
    {
        _invoker.Dispose();
        _handler.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task SendOneAsync(int index, CancellationToken cancellationToken)
    {
        var request = new OutgoingRequest(HttpMethod.Get, new Uri(_urlPrefix + Uri.EscapeDataString(_keys[index])), null);
        var exchange = await _sender.SendAsync(request, cancellationToken);
        if (exchange.StatusCode != 200)
        {
            throw new InvalidOperationException($"{Description}: {request.Uri} returned status {exchange.StatusCode}.", exchange.Failure);
        }
    }
}

/// <summary>
/// Workers that call the join's <see cref="LookupService"/> directly: request building, sending and decoding into rows,
/// with no stream around it.
/// </summary>
internal sealed class ServiceLoopSide : IBenchmarkSide
{
    private readonly LookupService _service;
    private readonly string[] _keys;
    private readonly int _concurrency;

    public ServiceLoopSide(BenchmarkContext context, int concurrency, int elements)
    {
        var settings = BreakdownSides.GetSettings(context, concurrency);
        _service = new LookupService(settings, new RowType([settings.Columns[0]]), "breakdown", new LookupJoinOptions());
        _keys = Enumerable.Range(0, elements).Select(BenchmarkData.CustomerId).ToArray();
        _concurrency = concurrency;
        Description = $"LookupService in {concurrency} worker(s), no stream";
    }

    public string Description { get; }

    public async Task<SideRun> RunAsync(int elements, CancellationToken cancellationToken)
    {
        await PlainLoop.RunAsync(_concurrency, elements, LookupOneAsync, cancellationToken);
        return new SideRun(elements, null);
    }

    public ValueTask DisposeAsync()
    {
        _service.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task LookupOneAsync(int index, CancellationToken cancellationToken)
    {
        var rows = await _service.LookupAsync([_keys[index]], cancellationToken);
        if (rows.Count != 1)
        {
            throw new InvalidOperationException($"{Description}: key {_keys[index]} returned {rows.Count} rows instead of 1.");
        }
    }
}

/// <summary>
/// Akka's own <c>SelectAsync</c> around the plain loop's request, read and parse, which shows the cost of the stream's
/// asynchronous boundary per element without the connector.
/// </summary>
internal sealed class StreamOnlySide : IBenchmarkSide
{
    private readonly BenchmarkContext _context;
    private readonly HttpClient _client;
    private readonly Row[] _rows;
    private readonly string _urlPrefix;
    private readonly int _parallelism;

    public StreamOnlySide(BenchmarkContext context, int parallelism, int elements)
    {
        _context = context;
        _client = BenchmarkData.CreatePlainClient(parallelism);
        _rows = BenchmarkData.Orders(elements, distinctKeys: elements);
        _urlPrefix = context.Server.BaseUrl + "/customer?id=";
        _parallelism = parallelism;
        Description = $"Akka SelectAsync({parallelism}) around the plain loop's request";
    }

    public string Description { get; }

    public async Task<SideRun> RunAsync(int elements, CancellationToken cancellationToken)
    {
        await Source.From(new ArraySegment<Row>(_rows, 0, elements))
            .SelectAsync(_parallelism, row => GetAsync(row, cancellationToken))
            .RunWith(Sink.Ignore<Row>(), _context.Materializer)
            .WaitAsync(cancellationToken);
        return new SideRun(elements, null);
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<Row> GetAsync(Row row, CancellationToken cancellationToken)
    {
        var key = (string)row.Values[0]!;
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_urlPrefix + Uri.EscapeDataString(key)));
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return PlainLookupSide.ParseCustomer(body) > 0 ? row : throw new InvalidOperationException($"{Description}: empty customer for {key}.");
    }
}
