namespace Connector.Actors.Auth;

/// <summary>Thrown when the OIDC token endpoint does not return a usable token. The message never contains the token request.</summary>
public sealed class OidcTokenException : Exception
{
    /// <summary>Creates the exception with a message naming the endpoint and the status.</summary>
    /// <param name="message">The reason, naming the token endpoint.</param>
    /// <param name="innerException">The failure of the token request, if one was thrown.</param>
    /// <param name="isTransient">True when a later token request may succeed, so the data request is retried.</param>
    public OidcTokenException(string message, Exception? innerException = null, bool isTransient = false)
        : base(message, innerException)
    {
        IsTransient = isTransient;
    }

    /// <summary>
    /// True when the token request failed without a response, timed out, or got status 408, 429 or 5xx. A request
    /// that needs the token is then retried under its table's retry options. Other statuses and unusable bodies
    /// fail the request at once, because the same token request gets the same response again.
    /// </summary>
    public bool IsTransient { get; }
}
