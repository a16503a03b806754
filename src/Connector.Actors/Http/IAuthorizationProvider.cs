namespace Connector.Actors.Http;

/// <summary>Supplies the Authorization header value for requests, such as a cached OIDC bearer token.</summary>
internal interface IAuthorizationProvider
{
    /// <summary>Returns the header value, such as <c>Bearer abc</c>, fetching a token if none is cached.</summary>
    ValueTask<string> GetAuthorizationAsync(CancellationToken cancellationToken);

    /// <summary>Drops a value the endpoint rejected with 401, so the next call fetches a fresh one.</summary>
    void Invalidate(string rejectedValue);
}
