using System.Globalization;
using Connector.Actors.Options;

namespace Connector.Actors.Cluster;

/// <summary>
/// How a table shares its endpoint with the rest of the cluster: the endpoint's identity, its cluster-wide rate limit
/// and its circuit breaker. Tables with the same endpoint identity share one endpoint entity.
/// </summary>
/// <param name="EndpointId">The endpoint identity: <c>http.endpoint.name</c>, or the URL's scheme, host and port.</param>
/// <param name="RequestsPerSecond">The cluster-wide rate limit, or null for none.</param>
/// <param name="Burst">Permits that may be used at once after an idle period.</param>
/// <param name="FailureThreshold">Consecutive failures on one node that open the circuit, or 0 for no circuit breaker.</param>
/// <param name="OpenDuration">How long an open circuit pauses the endpoint before a probe request is let through.</param>
/// <param name="HonourRetryAfter">True when a 429 or 503 with Retry-After pauses the endpoint for every node.</param>
/// <param name="MaxPause">The longest pause a Retry-After header may cause.</param>
/// <param name="LeaseTimeout">
/// How long the node's permit requests may go without any reply from the endpoint entity before requests waiting for a
/// permit fail. A reply with zero permits counts as a reply, so waits while the rate limit is reached are not limited.
/// </param>
public sealed record EndpointSettings(
    string EndpointId,
    double? RequestsPerSecond,
    int Burst,
    int FailureThreshold,
    TimeSpan OpenDuration,
    bool HonourRetryAfter,
    TimeSpan MaxPause,
    TimeSpan LeaseTimeout)
{
    /// <summary>
    /// The shortest allowed <c>http.rate-limit.lease-timeout</c>. The gate checks for replies on a 250 ms tick and sends
    /// an unanswered permit request again after half the lease timeout. With 1 s the entity gets at least two requests,
    /// two ticks apart, before requests fail, and a node's first request has time to start the entity and its shard.
    /// </summary>
    public static readonly TimeSpan MinimumLeaseTimeout = TimeSpan.FromSeconds(1);

    /// <summary>True when requests to the endpoint must pass through the endpoint's gate.</summary>
    public bool NeedsGate => RequestsPerSecond is not null || FailureThreshold > 0 || HonourRetryAfter;

    /// <summary>Reads the endpoint options of a table whose URL is <paramref name="url"/>.</summary>
    internal static EndpointSettings Read(OptionReader reader, string url)
    {
        var name = reader.GetString(CommonOptions.EndpointName)?.Trim();
        var id = string.IsNullOrEmpty(name) ? DefaultId(url) : name;
        double? rate = null;
        if (reader.GetString(CommonOptions.RateLimitRequestsPerSecond) is not null)
        {
            rate = reader.GetDouble(CommonOptions.RateLimitRequestsPerSecond, 0, minimum: 0.001);
        }

        // A fifth of a second of budget by default: small enough to keep any one-second window near the limit.
        var defaultBurst = rate is { } r ? Math.Max(1, (int)Math.Ceiling(r / 5)) : 1;
        var burst = reader.GetPositiveInt(CommonOptions.RateLimitBurst, defaultBurst);
        var leaseTimeout = ReadLeaseTimeout(reader);
        if (rate is null)
        {
            RejectWithoutRateLimit(reader, CommonOptions.RateLimitBurst);
            RejectWithoutRateLimit(reader, CommonOptions.RateLimitLeaseTimeout);
        }

        var openDuration = ReadPositiveDuration(reader, CommonOptions.CircuitBreakerOpenDuration, TimeSpan.FromSeconds(10));
        var maxPause = ReadPositiveDuration(reader, CommonOptions.CircuitBreakerMaxPause, TimeSpan.FromMinutes(1));
        return new EndpointSettings(
            id,
            rate,
            burst,
            reader.GetNonNegativeInt(CommonOptions.CircuitBreakerFailureThreshold, 0),
            openDuration,
            reader.GetBoolean(CommonOptions.CircuitBreakerHonourRetryAfter, true),
            maxPause,
            leaseTimeout);
    }

    private static void RejectWithoutRateLimit(OptionReader reader, string option)
    {
        if (reader.GetString(option) is not null)
        {
            reader.AddProblem(option, $"has no effect without {CommonOptions.RateLimitRequestsPerSecond}; set that or remove this option.");
        }
    }

    private static TimeSpan ReadLeaseTimeout(OptionReader reader)
    {
        var defaultValue = TimeSpan.FromMinutes(1);
        var value = ReadPositiveDuration(reader, CommonOptions.RateLimitLeaseTimeout, defaultValue);
        if (value >= MinimumLeaseTimeout)
        {
            return value;
        }

        reader.AddProblem(
            CommonOptions.RateLimitLeaseTimeout,
            $"invalid value '{reader.GetString(CommonOptions.RateLimitLeaseTimeout)}' ({FlinkDuration.Format(value)}); expected at least " +
            $"{FlinkDuration.Format(MinimumLeaseTimeout)}, because the node checks for permit replies every 250 ms and its first " +
            "permit request may wait for the endpoint entity to start. A bare number is milliseconds.");
        return defaultValue;
    }

    private static TimeSpan ReadPositiveDuration(OptionReader reader, string option, TimeSpan defaultValue)
    {
        var value = reader.GetDuration(option, defaultValue, DurationUnit.Milliseconds);
        if (value > TimeSpan.Zero)
        {
            return value;
        }

        reader.AddProblem(option, $"invalid value '{reader.GetString(option)}'; expected a duration longer than zero, such as 500ms or 10s.");
        return defaultValue;
    }

    /// <summary>
    /// Returns the options whose values differ between these settings and <paramref name="other"/>'s, with each side's
    /// value as option text. Tables to one endpoint share its gate and entity, so such differences cannot all apply.
    /// </summary>
    internal IReadOnlyList<(string Option, string Value, string OtherValue)> DifferencesFrom(EndpointSettings other)
    {
        var differences = new List<(string Option, string Value, string OtherValue)>();
        void Compare<T>(string option, T value, T otherValue, Func<T, string> format)
        {
            if (!EqualityComparer<T>.Default.Equals(value, otherValue))
            {
                differences.Add((option, format(value), format(otherValue)));
            }
        }

        Compare(CommonOptions.RateLimitRequestsPerSecond, RequestsPerSecond, other.RequestsPerSecond,
            rate => rate is { } r ? r.ToString(CultureInfo.InvariantCulture) : "unset (no limit)");
        Compare(CommonOptions.RateLimitBurst, Burst, other.Burst, burst => burst.ToString(CultureInfo.InvariantCulture));
        Compare(CommonOptions.RateLimitLeaseTimeout, LeaseTimeout, other.LeaseTimeout, FlinkDuration.Format);
        Compare(CommonOptions.CircuitBreakerFailureThreshold, FailureThreshold, other.FailureThreshold,
            threshold => threshold.ToString(CultureInfo.InvariantCulture));
        Compare(CommonOptions.CircuitBreakerOpenDuration, OpenDuration, other.OpenDuration, FlinkDuration.Format);
        Compare(CommonOptions.CircuitBreakerHonourRetryAfter, HonourRetryAfter, other.HonourRetryAfter, flag => flag ? "true" : "false");
        Compare(CommonOptions.CircuitBreakerMaxPause, MaxPause, other.MaxPause, FlinkDuration.Format);
        return differences;
    }

    /// <summary>Returns the scheme, host and port of a URL, the default endpoint identity.</summary>
    public static string DefaultId(string url)
    {
        var probe = Http.HttpOptionsReader.PlaceholderPattern.Replace(url, "x");
        return Uri.TryCreate(probe, UriKind.Absolute, out var uri)
            ? string.Create(CultureInfo.InvariantCulture, $"{uri.Scheme}://{uri.Host}:{uri.Port}")
            : url;
    }
}
