namespace Connector.Actors.Http;

/// <summary>An HTTP proxy and its optional credentials, which are only ever sent to the proxy.</summary>
internal sealed record ProxyOptions(string Host, int Port, string? Username, string? Password)
{
    /// <summary>Returns the proxy address without credentials, for logs.</summary>
    public override string ToString() => $"http://{Host}:{Port}" + (Username is null ? string.Empty : " (with credentials)");
}
