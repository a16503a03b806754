namespace Connector.Actors.Auth;

/// <summary>Where and how to fetch OIDC bearer tokens.</summary>
/// <param name="TokenEndpoint">The token endpoint URL.</param>
/// <param name="TokenRequest">The form-encoded token request body; a secret.</param>
/// <param name="ExpiryReduction">How long before its expiry a token is replaced.</param>
internal sealed record OidcSettings(Uri TokenEndpoint, string TokenRequest, TimeSpan ExpiryReduction)
{
    /// <summary>Describes the settings without the token request, which contains credentials.</summary>
    public override string ToString() => $"OIDC token endpoint {Http.UrlRedaction.Redact(TokenEndpoint)}";
}
