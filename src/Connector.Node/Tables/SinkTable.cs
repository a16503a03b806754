using Akka.Streams.Dsl;
using Connector.Actors.Schema;

namespace Connector.Node.Tables;

/// <summary>A table a pipeline writes to. Its sink's task completes with a summary once every row is settled.</summary>
internal abstract class SinkTable(string name) : IDisposable
{
    public string Name { get; } = name;

    /// <summary>HTTP requests sent so far, for progress lines; zero for sinks that send none.</summary>
    public virtual long Requests => 0;

    /// <summary>Requests that were retries, for progress lines.</summary>
    public virtual long Retries => 0;

    /// <summary>Requests or rows that failed for good, for progress lines.</summary>
    public virtual long Failures => 0;

    public abstract Sink<Row, Task<string>> CreateSink();

    /// <summary>Rows that the sink has taken in and not yet settled, or 0 for a sink that does not count them.</summary>
    public virtual long PendingRows => 0;

    /// <summary>Cancels the requests that the sink has in flight, for a pipeline that must stop at once.</summary>
    public virtual void CancelRequests()
    {
    }

    public virtual void Dispose()
    {
    }
}
