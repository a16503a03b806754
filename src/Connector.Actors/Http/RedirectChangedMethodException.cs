namespace Connector.Actors.Http;

/// <summary>
/// Reports a request that the HTTP client followed through a redirect as a GET without its body (a POST on 301 or 302,
/// any method but HEAD on 303), so the endpoint never received what was sent. The request is not retried, because
/// every retry would end the same way.
/// </summary>
internal sealed class RedirectChangedMethodException : Exception
{
    public RedirectChangedMethodException(
        HttpMethod method, Uri requestUri, HttpMethod followedMethod, Uri targetUri, Exception? innerException = null)
        : this($"was redirected to {UrlRedaction.Redact(targetUri)}, and the HTTP client followed the redirect as {followedMethod} " +
            "without the request body, as it does for a POST on status 301 or 302 and for other methods but HEAD on 303" +
            (innerException is null ? "." : $"; that request failed: {innerException.Message}") +
            " Set the url to the redirect target, or have the server answer 307 or 308, which keep the method and body.",
            $"{method} {UrlRedaction.Redact(requestUri)}",
            innerException)
    {
    }

    private RedirectChangedMethodException(string reason, string request, Exception? innerException)
        : base($"{request} {reason}", innerException)
    {
        Reason = reason;
    }

    /// <summary>The message without the request's method and URL, for errors that name the request already.</summary>
    public string Reason { get; }
}
