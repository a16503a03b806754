using System.Net.Http.Headers;

namespace Connector.Actors.Http;

/// <summary>The final outcome of a request after retries: a response, or the exception of the last attempt.</summary>
internal sealed class HttpExchange
{
    private HttpExchange(int statusCode, byte[] body, HttpResponseHeaders? headers, HttpContentHeaders? contentHeaders, Exception? failure)
    {
        StatusCode = statusCode;
        Body = body;
        Headers = headers;
        ContentHeaders = contentHeaders;
        Failure = failure;
    }

    /// <summary>The status code, or 0 when no response arrived.</summary>
    public int StatusCode { get; }

    /// <summary>The response body, empty when there was none.</summary>
    public byte[] Body { get; }

    /// <summary>The response headers, or null when no response arrived.</summary>
    public HttpResponseHeaders? Headers { get; }

    /// <summary>The response content headers, or null when no response arrived.</summary>
    public HttpContentHeaders? ContentHeaders { get; }

    /// <summary>The exception of the last attempt when no response arrived, such as a refused connection or a timeout.</summary>
    public Exception? Failure { get; }

    /// <summary>Attempts made, the first included.</summary>
    public int Attempts { get; set; }

    /// <summary>True when a response arrived.</summary>
    public bool HasResponse => Failure is null;

    public static HttpExchange FromResponse(HttpResponseMessage response, byte[] body) =>
        new((int)response.StatusCode, body, response.Headers, response.Content.Headers, null);

    public static HttpExchange FromFailure(Exception failure) => new(0, [], null, null, failure);

    /// <summary>Returns the first characters of the body as text, for error messages.</summary>
    public string BodyExcerpt(int maxChars = 200) => TextExcerpt.FromUtf8(Body, maxChars);

    /// <summary>
    /// Describes an outcome without a response for table errors, such as <c>got no response after 4 attempt(s): ...</c>,
    /// naming a missing OIDC token or rate permit as the cause instead of the endpoint.
    /// </summary>
    public string DescribeFailure()
    {
        var failure = Failure!;
        var text = string.IsNullOrEmpty(failure.Message) ? failure.GetType().Name : failure.Message;
        return failure switch
        {
            Auth.OidcTokenException => $"failed because no OIDC token was available after {Attempts} attempt(s): {text}",
            Cluster.PermitLeaseTimeoutException => $"failed because no rate permit was available: {text}",
            RedirectChangedMethodException redirect => redirect.Reason,
            _ => $"got no response after {Attempts} attempt(s): {text}",
        };
    }

    /// <summary>Returns every response header, content headers included, as name to values.</summary>
    public Dictionary<string, object?> HeaderMap()
    {
        var map = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        if (Headers is not null)
        {
            foreach (var (name, values) in Headers)
            {
                map[name] = values.Cast<object?>().ToArray();
            }
        }

        if (ContentHeaders is not null)
        {
            foreach (var (name, values) in ContentHeaders)
            {
                map[name] = values.Cast<object?>().ToArray();
            }
        }

        return map;
    }
}
