namespace Connector.Actors.Http;

/// <summary>
/// Reports a request that the HTTP client followed through a 301, 302 or 303 redirect as a GET without its body, so
/// the endpoint never received what was sent. The request is not retried, because every retry would end the same way.
/// </summary>
internal sealed class RedirectChangedMethodException : Exception
{
    public RedirectChangedMethodException(HttpMethod method, Uri requestUri, HttpMethod followedMethod, Uri targetUri)
        : this($"was redirected to {UrlRedaction.Redact(targetUri)}, and the HTTP client followed the redirect as {followedMethod} " +
            "without the request body, as it does for status 301, 302 and 303. Set the url to the redirect target, or have the " +
            "server answer 307 or 308, which keep the method and body.",
            $"{method} {UrlRedaction.Redact(requestUri)}")
    {
    }

    private RedirectChangedMethodException(string reason, string request)
        : base($"{request} {reason}")
    {
        Reason = reason;
    }

    /// <summary>The message without the request's method and URL, for errors that name the request already.</summary>
    public string Reason { get; }
}
