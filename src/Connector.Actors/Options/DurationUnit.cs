namespace Connector.Actors.Options;

/// <summary>
/// Unit of a duration written as a bare number without a unit.
/// </summary>
internal enum DurationUnit
{
    /// <summary>A bare number is a count of milliseconds.</summary>
    Milliseconds,

    /// <summary>A bare number is a count of seconds.</summary>
    Seconds,
}
