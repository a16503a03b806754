namespace Connector.Actors.Lookup;

/// <summary>The values of the <c>http-completion-state</c> metadata column.</summary>
public static class CompletionState
{
    /// <summary>A success status; the body was decoded, possibly into no rows.</summary>
    public const string Success = "SUCCESS";

    /// <summary>An ignored status; the body was not read.</summary>
    public const string IgnoreStatusCode = "IGNORE_STATUS_CODE";

    /// <summary>An error status, or a retry status after the last retry.</summary>
    public const string HttpErrorStatus = "HTTP_ERROR_STATUS";

    /// <summary>No response: a connection failure or a timeout after the last retry.</summary>
    public const string Exception = "EXCEPTION";

    /// <summary>A success status whose body could not be decoded.</summary>
    public const string UnableToDeserializeResponse = "UNABLE_TO_DESERIALIZE_RESPONSE";
}
