using Akka.Streams.Dsl;
using Connector.Actors.Schema;
using Connector.Actors.Sink;

namespace Connector.Node.Tables;

/// <summary>The <c>http-sink</c> table, backed by the library's <see cref="HttpSink"/>.</summary>
internal sealed class HttpSinkTable(string name, HttpSink sink) : SinkTable(name)
{
    public HttpSink HttpSink { get; } = sink;

    public override long Requests => HttpSink.Metrics.Requests;

    public override long Retries => HttpSink.Metrics.Retries;

    public override long Failures => HttpSink.Metrics.Failures;

    public override Sink<Row, Task<string>> CreateSink() =>
        HttpSink.Sink.MapMaterializedValue(async result => (await result.ConfigureAwait(false)).ToString());

    public override long PendingRows => HttpSink.Pending;

    public override void CancelRequests() => HttpSink.CancelRequests();

    public override void Dispose() => HttpSink.Dispose();
}
