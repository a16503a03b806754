using System.Globalization;
using System.Text;
using System.Text.Json;
using Connector.Actors.Http;

namespace Connector.Actors.Auth;

/// <summary>
/// Fetches OIDC bearer tokens and caches each until its expiry minus the reduction. Concurrent callers while a
/// token is being fetched wait for that one fetch. No request is made before the first call.
/// </summary>
internal sealed class OidcTokenProvider : IAuthorizationProvider
{
    private static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(365);

    private readonly OidcSettings _settings;
    private readonly HttpClient _client;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private CachedToken? _token;
    private Task<CachedToken>? _fetch;
    private long _fetchCount;

    public OidcTokenProvider(OidcSettings settings, HttpClient client, TimeSpan timeout, TimeProvider time)
    {
        _settings = settings;
        _client = client;
        _timeout = timeout;
        _time = time;
    }

    /// <summary>Token requests sent so far.</summary>
    public long FetchCount => Interlocked.Read(ref _fetchCount);

    public async ValueTask<string> GetAuthorizationAsync(CancellationToken cancellationToken)
    {
        Task<CachedToken> fetch;
        lock (_gate)
        {
            if (_token is { } token && token.IsValid(_time.GetUtcNow()))
            {
                // A token without expires_in serves one request round only.
                if (token.SingleUse)
                {
                    _token = null;
                }

                return token.HeaderValue;
            }

            // Task.Run makes sure the fetch is stored before it can finish. A fetch that failed synchronously would
            // otherwise clear _fetch first and then be stored here, so every later call would get its old error.
            fetch = _fetch ??= Task.Run(FetchAsync);
        }

        var fetched = await fetch.WaitAsync(cancellationToken).ConfigureAwait(false);
        return fetched.HeaderValue;
    }

    /// <summary>Fetches a new token without using or filling the cache; a null expiry means one request round only.</summary>
    public async Task<(string HeaderValue, DateTimeOffset? ExpiresAt)> FetchTokenAsync(CancellationToken cancellationToken)
    {
        var token = await RequestTokenAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        return (token.HeaderValue, token.SingleUse ? null : token.ExpiresAt);
    }

    public void Invalidate(string rejectedValue)
    {
        lock (_gate)
        {
            if (_token?.HeaderValue == rejectedValue)
            {
                _token = null;
            }
        }
    }

    private async Task<CachedToken> FetchAsync()
    {
        try
        {
            var token = await RequestTokenAsync().ConfigureAwait(false);
            lock (_gate)
            {
                _token = token.SingleUse ? null : token;
                _fetch = null;
            }

            return token;
        }
        catch
        {
            lock (_gate)
            {
                _fetch = null;
            }

            throw;
        }
    }

    private async Task<CachedToken> RequestTokenAsync()
    {
        Interlocked.Increment(ref _fetchCount);
        var endpoint = UrlRedaction.Redact(_settings.TokenEndpoint);
        using var timeout = new CancellationTokenSource(_timeout, _time);
        using var request = new HttpRequestMessage(HttpMethod.Post, _settings.TokenEndpoint)
        {
            Content = new StringContent(_settings.TokenRequest, Encoding.UTF8, "application/x-www-form-urlencoded"),
        };

        HttpResponseMessage response;
        try
        {
            response = await _client.SendAsync(request, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException)
        {
            var outcome = exception is OperationCanceledException ? $"timed out after {_timeout.TotalSeconds:0.###} s" : $"failed: {exception.Message}";
            throw new OidcTokenException($"OIDC token request to {endpoint} {outcome}", exception, isTransient: true);
        }

        using (response)
        {
            var body = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (status is 408 or 429 or >= 500)
            {
                throw new OidcTokenException(
                    $"OIDC token endpoint {endpoint} returned status {status}, a temporary failure of the endpoint.",
                    isTransient: true);
            }

            if (status != 200)
            {
                throw new OidcTokenException(
                    $"OIDC token endpoint {endpoint} returned status {status}; only 200 with an access_token is a token. " +
                    "Check the token request and the endpoint URL.");
            }

            return Parse(body, endpoint);
        }
    }

    private CachedToken Parse(byte[] body, string endpoint)
    {
        string? accessToken = null;
        double? expiresIn = null;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                if (document.RootElement.TryGetProperty("access_token", out var tokenElement) && tokenElement.ValueKind == JsonValueKind.String)
                {
                    accessToken = tokenElement.GetString();
                }

                if (document.RootElement.TryGetProperty("expires_in", out var expiry))
                {
                    expiresIn = expiry.ValueKind switch
                    {
                        JsonValueKind.Number when expiry.TryGetDouble(out var seconds) => seconds,
                        JsonValueKind.String when double.TryParse(expiry.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) &&
                            double.IsFinite(seconds) => seconds,
                        _ => null,
                    };
                }
            }
        }
        catch (JsonException exception)
        {
            throw new OidcTokenException($"OIDC token endpoint {endpoint} returned a body that is not JSON.", exception);
        }

        if (string.IsNullOrEmpty(accessToken))
        {
            throw new OidcTokenException($"OIDC token endpoint {endpoint} returned status 200 without a string access_token.");
        }

        if (DescribeInvalidCharacter(accessToken) is { } invalid)
        {
            // The token is left out of the message because it is a credential. The same endpoint returns the same
            // kind of token again, so the failure is not transient.
            throw new OidcTokenException(
                $"OIDC token endpoint {endpoint} returned an access_token that cannot be sent in an Authorization " +
                $"header because it contains {invalid}; a bearer token may contain only printable ASCII characters " +
                "without spaces. Check the token endpoint; the token is not shown.");
        }

        var now = _time.GetUtcNow();
        if (expiresIn is not { } lifetime)
        {
            return new CachedToken("Bearer " + accessToken, now, SingleUse: true);
        }

        // A lifetime above MaxLifetime is capped, so that values such as 1e300 overflow neither TimeSpan nor the
        // expiry time. Such a token is fetched again after a year.
        var usable = TimeSpan.FromSeconds(Math.Min(lifetime, MaxLifetime.TotalSeconds)) - _settings.ExpiryReduction;
        return new CachedToken("Bearer " + accessToken, now + (usable > TimeSpan.Zero ? usable : TimeSpan.Zero), SingleUse: false);
    }

    /// <summary>
    /// Returns what kind of character keeps a token out of <c>Bearer &lt;token&gt;</c>, or null when every character
    /// is printable ASCII other than space. A space would split the value into more than one credential.
    /// </summary>
    private static string? DescribeInvalidCharacter(string token)
    {
        foreach (var c in token)
        {
            if (c is > ' ' and <= '~')
            {
                continue;
            }

            return c switch
            {
                ' ' => "a space",
                _ when char.IsControl(c) => "a control character such as CR or LF",
                _ => "a non-ASCII character",
            };
        }

        return null;
    }

    private sealed record CachedToken(string HeaderValue, DateTimeOffset ExpiresAt, bool SingleUse)
    {
        public bool IsValid(DateTimeOffset now) => SingleUse || now < ExpiresAt;
    }
}
