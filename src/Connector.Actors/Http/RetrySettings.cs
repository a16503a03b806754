using Connector.Actors.Options;

namespace Connector.Actors.Http;

/// <summary>Retry count and wait schedule for failed attempts.</summary>
/// <param name="MaxRetries">Retries after the first attempt; 0 disables retries.</param>
/// <param name="Strategy">How the wait grows.</param>
/// <param name="FixedDelay">The wait with <see cref="RetryStrategyKind.FixedDelay"/>.</param>
/// <param name="InitialBackoff">The first wait with <see cref="RetryStrategyKind.ExponentialDelay"/>.</param>
/// <param name="MaxBackoff">The longest wait with <see cref="RetryStrategyKind.ExponentialDelay"/>, and the cap on Retry-After.</param>
/// <param name="Multiplier">The growth factor with <see cref="RetryStrategyKind.ExponentialDelay"/>.</param>
internal sealed record RetrySettings(
    int MaxRetries,
    RetryStrategyKind Strategy,
    TimeSpan FixedDelay,
    TimeSpan InitialBackoff,
    TimeSpan MaxBackoff,
    double Multiplier)
{
    private static readonly Dictionary<string, RetryStrategyKind> StrategyNames =
        new(StringComparer.OrdinalIgnoreCase)
        {
            ["fixed-delay"] = RetryStrategyKind.FixedDelay,
            ["exponential-delay"] = RetryStrategyKind.ExponentialDelay,
        };

    /// <summary>No retries.</summary>
    public static RetrySettings None { get; } =
        new(0, RetryStrategyKind.FixedDelay, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, 1);

    /// <summary>Returns the wait before retry <paramref name="retryNumber"/>, counting from 1.</summary>
    public TimeSpan DelayBeforeRetry(int retryNumber)
    {
        if (Strategy == RetryStrategyKind.FixedDelay)
        {
            return FixedDelay;
        }

        var milliseconds = InitialBackoff.TotalMilliseconds * Math.Pow(Multiplier, retryNumber - 1);
        return milliseconds >= MaxBackoff.TotalMilliseconds || double.IsInfinity(milliseconds)
            ? MaxBackoff
            : TimeSpan.FromMilliseconds(milliseconds);
    }

    /// <summary>Reads retry options under the given names.</summary>
    public static RetrySettings Read(
        OptionReader reader,
        string maxRetries,
        string strategy,
        string fixedDelay,
        string initialBackoff,
        string maxBackoff,
        string multiplier)
    {
        var settings = new RetrySettings(
            reader.GetNonNegativeInt(maxRetries, 3),
            reader.GetChoice(strategy, RetryStrategyKind.FixedDelay, StrategyNames),
            reader.GetDuration(fixedDelay, TimeSpan.FromSeconds(1), DurationUnit.Milliseconds),
            reader.GetDuration(initialBackoff, TimeSpan.FromSeconds(1), DurationUnit.Milliseconds),
            reader.GetDuration(maxBackoff, TimeSpan.FromMinutes(1), DurationUnit.Milliseconds),
            reader.GetDouble(multiplier, 1.5, minimum: 1.0));

        if (settings.Strategy == RetryStrategyKind.ExponentialDelay && settings.InitialBackoff > settings.MaxBackoff)
        {
            reader.AddProblem(
                initialBackoff,
                $"initial back-off {FlinkDuration.Format(settings.InitialBackoff)} is longer than the max back-off " +
                $"{FlinkDuration.Format(settings.MaxBackoff)}; lower it or raise {maxBackoff}.");
        }

        return settings;
    }
}
