namespace Connector.Actors.Auth;

/// <summary>Thrown when the OIDC token endpoint does not return a usable token. The message never contains the token request.</summary>
public sealed class OidcTokenException : Exception
{
    /// <summary>Creates the exception with a message naming the endpoint and the status.</summary>
    public OidcTokenException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
