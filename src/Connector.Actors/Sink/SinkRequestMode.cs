namespace Connector.Actors.Sink;

/// <summary>How rows are cut into requests.</summary>
public enum SinkRequestMode
{
    /// <summary>Each request's body is a JSON array of rows.</summary>
    Batch,

    /// <summary>Each request's body is one row object.</summary>
    Single,
}
