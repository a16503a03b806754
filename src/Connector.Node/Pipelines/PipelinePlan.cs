using Connector.Actors.Lookup;
using Connector.Actors.Schema;
using Connector.Node.Tables;

namespace Connector.Node.Pipelines;

/// <summary>A validated pipeline, ready to run: its source, lookup joins, projection and sink.</summary>
internal sealed class PipelinePlan(
    string name, SourceTable source, IReadOnlyList<LookupJoin> lookups, Projection? projection, SinkTable sink, RowType outputType) : IDisposable
{
    public string Name { get; } = name;

    public SourceTable Source { get; } = source;

    public IReadOnlyList<LookupJoin> Lookups { get; } = lookups;

    public Projection? Projection { get; } = projection;

    public SinkTable Sink { get; } = sink;

    public RowType OutputType { get; } = outputType;

    public void Dispose()
    {
        foreach (var lookup in Lookups)
        {
            lookup.Dispose();
        }

        Sink.Dispose();
    }
}
