using Connector.Actors.Schema;

namespace Connector.Actors.Lookup;

/// <summary>The metadata keys a lookup table's columns may be read from, with the types they must have.</summary>
public static class LookupMetadata
{
    /// <summary>The error text: the body of an error response, or the exception message.</summary>
    public const string ErrorString = "error-string";

    /// <summary>The response status code.</summary>
    public const string StatusCode = "http-status-code";

    /// <summary>The response headers as a map of name to values.</summary>
    public const string Headers = "http-headers";

    /// <summary>The completion state, one of <see cref="CompletionState"/>.</summary>
    public const string CompletionStateKey = "http-completion-state";

    /// <summary>The allowed keys and the type family each must be declared with.</summary>
    public static IReadOnlyDictionary<string, string> Keys { get; } = new Dictionary<string, string>
    {
        [ErrorString] = "STRING",
        [StatusCode] = "INT",
        [Headers] = "MAP<STRING, ARRAY<STRING>>",
        [CompletionStateKey] = "STRING",
    };

    /// <summary>True when a metadata column's declared type can hold the key's value.</summary>
    public static bool IsCompatible(string key, DataType type) => key switch
    {
        ErrorString or CompletionStateKey => type.Kind == TypeKind.String,
        StatusCode => type.Kind is TypeKind.Int or TypeKind.BigInt,
        Headers => type.Kind == TypeKind.Map && type.ElementType!.Kind is TypeKind.Array or TypeKind.String,
        _ => false,
    };
}
