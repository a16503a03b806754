using Akka;
using Akka.Streams.Dsl;
using Connector.Actors.Schema;

namespace Connector.Node.Tables;

/// <summary>A table a pipeline reads from.</summary>
internal abstract class SourceTable(string name, RowType columns)
{
    public string Name { get; } = name;

    public RowType Columns { get; } = columns;

    /// <summary>True when the source ends by itself.</summary>
    public abstract bool IsBounded { get; }

    public abstract Source<Row, NotUsed> CreateSource();
}
