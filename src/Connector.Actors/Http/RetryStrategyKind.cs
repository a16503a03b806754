namespace Connector.Actors.Http;

/// <summary>How the wait between retries grows.</summary>
public enum RetryStrategyKind
{
    /// <summary>The same wait before every retry.</summary>
    FixedDelay,

    /// <summary>The wait before retry n is min(initial x multiplier^(n-1), max).</summary>
    ExponentialDelay,
}
