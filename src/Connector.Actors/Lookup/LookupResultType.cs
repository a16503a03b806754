namespace Connector.Actors.Lookup;

/// <summary>How a lookup response body maps to rows.</summary>
public enum LookupResultType
{
    /// <summary>The body is one object (a top-level array still yields one row per element).</summary>
    SingleValue,

    /// <summary>The body must be an array; every non-null element becomes a row.</summary>
    Array,
}
