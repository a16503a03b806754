namespace Connector.Actors.Options;

/// <summary>Options shared by every table and by both HTTP connectors.</summary>
public static class CommonOptions
{
    /// <summary>The connector identifier.</summary>
    public const string Connector = "connector";

    /// <summary>The encoding format.</summary>
    public const string Format = "format";

    /// <summary>The endpoint URL.</summary>
    public const string Url = "url";

    /// <summary>The column list in Flink's type syntax.</summary>
    public const string Columns = "columns";

    /// <summary>Extra trusted server certificates.</summary>
    public const string CertServer = "http.security.cert.server";

    /// <summary>Accept any server certificate.</summary>
    public const string AllowSelfSigned = "http.security.cert.server.allowSelfSigned";

    /// <summary>The mTLS client certificate.</summary>
    public const string CertClient = "http.security.cert.client";

    /// <summary>The mTLS client key.</summary>
    public const string KeyClient = "http.security.key.client";

    /// <summary>The OIDC token request body.</summary>
    public const string OidcTokenRequest = "http.security.oidc.token.request";

    /// <summary>The OIDC token endpoint.</summary>
    public const string OidcTokenEndpoint = "http.security.oidc.token.endpoint.url";

    /// <summary>How long before expiry a token is replaced.</summary>
    public const string OidcExpiryReduction = "http.security.oidc.token.expiry.reduction";

    /// <summary>How much of each exchange is logged.</summary>
    public const string LoggingLevel = "http.logging.level";

    /// <summary>Skip undecodable JSON instead of failing.</summary>
    public const string JsonIgnoreParseErrors = "json.ignore-parse-errors";

    /// <summary>Fail when a JSON object lacks a declared column.</summary>
    public const string JsonFailOnMissingField = "json.fail-on-missing-field";

    /// <summary>The endpoint identity that tables share an endpoint entity by.</summary>
    public const string EndpointName = "http.endpoint.name";

    /// <summary>The cluster-wide rate limit.</summary>
    public const string RateLimitRequestsPerSecond = "http.rate-limit.requests-per-second";

    /// <summary>Permits usable at once.</summary>
    public const string RateLimitBurst = "http.rate-limit.burst";

    /// <summary>How long permit requests may go unanswered before waiting requests fail.</summary>
    public const string RateLimitLeaseTimeout = "http.rate-limit.lease-timeout";

    /// <summary>Consecutive failures that open the circuit.</summary>
    public const string CircuitBreakerFailureThreshold = "http.circuit-breaker.failure-threshold";

    /// <summary>How long an open circuit pauses the endpoint.</summary>
    public const string CircuitBreakerOpenDuration = "http.circuit-breaker.open-duration";

    /// <summary>Whether Retry-After pauses the endpoint for every node.</summary>
    public const string CircuitBreakerHonourRetryAfter = "http.circuit-breaker.honour-retry-after";

    /// <summary>The longest pause Retry-After may cause.</summary>
    public const string CircuitBreakerMaxPause = "http.circuit-breaker.max-pause";

    /// <summary>The options every HTTP connector accepts.</summary>
    public static IReadOnlyList<OptionDescriptor> Http { get; } =
    [
        new(Format, "json", "Encoding of request and response bodies. Only json is supported."),
        new(Url, null, "Endpoint URL, http or https. Required."),
        new(CertServer, null, "Comma-separated paths of PEM or DER certificates (a PEM file may hold several) trusted in addition to the system CAs."),
        new(AllowSelfSigned, "false", "Accept any server certificate, without chain or hostname checks. For development only; a warning is logged at start-up."),
        new(CertClient, null, "Path of the PEM or DER client certificate for mTLS. CA certificates after it in a PEM file are sent with it as its chain. Requires http.security.key.client."),
        new(KeyClient, null, "Path of the unencrypted client key for mTLS: PKCS#8 PEM or DER, PKCS#1 RSA or SEC1 EC PEM. Requires http.security.cert.client."),
        new(OidcTokenEndpoint, null, "OIDC token endpoint URL to which the token request is sent by POST. Requires http.security.oidc.token.request."),
        new(OidcTokenRequest, null, "OIDC token request body, application/x-www-form-urlencoded, sent as is.", IsSecret: true),
        new(OidcExpiryReduction, "1s", "A cached token is replaced this long before it expires (duration)."),
        new(LoggingLevel, "MIN", "Request and response logging at Debug: MIN (method, URL, status), REQ_RESP (plus bodies) or MAX (plus header values, with credentials redacted)."),
        new(JsonIgnoreParseErrors, "false", "Treat a body that cannot be decoded as an empty result instead of an error."),
        new(JsonFailOnMissingField, "false", "Treat a JSON object that lacks a declared column as a decoding error instead of reading null."),
        new(EndpointName, "scheme://host:port of the URL", "The endpoint identity. Tables with the same identity share one endpoint entity in the cluster: its OIDC token, rate limit and circuit state."),
        new(RateLimitRequestsPerSecond, null, "Cluster-wide limit on requests per second to the endpoint, shared by every lookup and sink table of that endpoint on every node. Default: no limit."),
        new(RateLimitBurst, "requests-per-second / 5", "Permits usable at once after an idle period; nodes lease permits in blocks of this size."),
        new(RateLimitLeaseTimeout, "1min", "How long a node's permit requests may go unanswered by the endpoint entity, for example because the node is not an Up cluster member, before requests waiting for a permit fail (duration, at least 1s). Keep it above the time the cluster takes to move the entity off a crashed node. Waits while the limit is reached are not limited."),
        new(CircuitBreakerFailureThreshold, "0", "Consecutive failed attempts on one node (no response, a retry code or a 5XX status) that pause the endpoint for every node; 0 turns this off."),
        new(CircuitBreakerOpenDuration, "10s", "How long failures past the threshold pause the endpoint before one probe request per node is let through (duration)."),
        new(CircuitBreakerHonourRetryAfter, "true", "A 429 or 503 with Retry-After pauses the endpoint for every node for the time it gives."),
        new(CircuitBreakerMaxPause, "1min", "The longest pause a Retry-After header may cause (duration)."),
    ];
}
