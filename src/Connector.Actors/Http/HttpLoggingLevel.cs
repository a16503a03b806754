namespace Connector.Actors.Http;

/// <summary>How much of each exchange the Debug request log shows.</summary>
public enum HttpLoggingLevel
{
    /// <summary>Method, URL and status.</summary>
    Min,

    /// <summary>Also request and response bodies.</summary>
    ReqResp,

    /// <summary>Also header values, with credentials still redacted.</summary>
    Max,
}
