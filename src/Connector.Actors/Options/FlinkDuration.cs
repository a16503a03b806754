using System.Globalization;

namespace Connector.Actors.Options;

/// <summary>
/// Parser and formatter for durations in the Flink configuration syntax, such as <c>30s</c>, <c>500 ms</c> or <c>1min</c>.
/// </summary>
internal static class FlinkDuration
{
    private const long NanosecondsPerTick = 100;

    // Unit labels that Flink's TimeUtils.parseDuration accepts (recent releases include "m"),
    // plus "us" as an ASCII spelling of "µs". Labels match in any letter case.
    private static readonly Dictionary<string, long> NanosecondsPerUnit = new(StringComparer.OrdinalIgnoreCase)
    {
        ["d"] = TimeSpan.TicksPerDay * NanosecondsPerTick,
        ["day"] = TimeSpan.TicksPerDay * NanosecondsPerTick,
        ["days"] = TimeSpan.TicksPerDay * NanosecondsPerTick,
        ["h"] = TimeSpan.TicksPerHour * NanosecondsPerTick,
        ["hour"] = TimeSpan.TicksPerHour * NanosecondsPerTick,
        ["hours"] = TimeSpan.TicksPerHour * NanosecondsPerTick,
        ["min"] = TimeSpan.TicksPerMinute * NanosecondsPerTick,
        ["m"] = TimeSpan.TicksPerMinute * NanosecondsPerTick,
        ["minute"] = TimeSpan.TicksPerMinute * NanosecondsPerTick,
        ["minutes"] = TimeSpan.TicksPerMinute * NanosecondsPerTick,
        ["s"] = TimeSpan.TicksPerSecond * NanosecondsPerTick,
        ["sec"] = TimeSpan.TicksPerSecond * NanosecondsPerTick,
        ["secs"] = TimeSpan.TicksPerSecond * NanosecondsPerTick,
        ["second"] = TimeSpan.TicksPerSecond * NanosecondsPerTick,
        ["seconds"] = TimeSpan.TicksPerSecond * NanosecondsPerTick,
        ["ms"] = TimeSpan.TicksPerMillisecond * NanosecondsPerTick,
        ["milli"] = TimeSpan.TicksPerMillisecond * NanosecondsPerTick,
        ["millis"] = TimeSpan.TicksPerMillisecond * NanosecondsPerTick,
        ["millisecond"] = TimeSpan.TicksPerMillisecond * NanosecondsPerTick,
        ["milliseconds"] = TimeSpan.TicksPerMillisecond * NanosecondsPerTick,
        ["µs"] = TimeSpan.TicksPerMicrosecond * NanosecondsPerTick,
        ["us"] = TimeSpan.TicksPerMicrosecond * NanosecondsPerTick,
        ["micro"] = TimeSpan.TicksPerMicrosecond * NanosecondsPerTick,
        ["micros"] = TimeSpan.TicksPerMicrosecond * NanosecondsPerTick,
        ["microsecond"] = TimeSpan.TicksPerMicrosecond * NanosecondsPerTick,
        ["microseconds"] = TimeSpan.TicksPerMicrosecond * NanosecondsPerTick,
        ["ns"] = 1,
        ["nano"] = 1,
        ["nanos"] = 1,
        ["nanosecond"] = 1,
        ["nanoseconds"] = 1,
    };

    // Units tried by Format, largest first.
    private static readonly (long Ticks, string Label)[] FormatUnits =
    [
        (TimeSpan.TicksPerDay, "d"),
        (TimeSpan.TicksPerHour, "h"),
        (TimeSpan.TicksPerMinute, "min"),
        (TimeSpan.TicksPerSecond, "s"),
        (TimeSpan.TicksPerMillisecond, "ms"),
        (TimeSpan.TicksPerMicrosecond, "us"),
    ];

    /// <summary>
    /// Parses a duration: a non-negative whole number, optional whitespace and an optional unit.
    /// </summary>
    /// <remarks>
    /// Units are d, day, days, h, hour, hours, min, m, minute, minutes, s, sec, secs, second, seconds,
    /// ms, milli, millis, millisecond, milliseconds, µs, us, micro, micros, microsecond, microseconds,
    /// ns, nano, nanos, nanosecond and nanoseconds, in any letter case.
    /// Leading and trailing whitespace is ignored. A TimeSpan counts in 100 ns ticks,
    /// so nanoseconds are rounded down to a whole tick.
    /// </remarks>
    /// <param name="text">Duration text.</param>
    /// <param name="bareNumberUnit">Unit of a number written without a unit.</param>
    /// <exception cref="OptionFormatException">
    /// The text is empty, is not a whole number with a known unit, or is longer than <see cref="TimeSpan.MaxValue"/>.
    /// </exception>
    public static TimeSpan Parse(string text, DurationUnit bareNumberUnit)
    {
        ArgumentNullException.ThrowIfNull(text);

        var trimmed = text.Trim();
        var digitCount = 0;
        while (digitCount < trimmed.Length && char.IsAsciiDigit(trimmed[digitCount]))
        {
            digitCount++;
        }

        if (digitCount == 0)
        {
            throw InvalidDuration(text, bareNumberUnit, string.Empty);
        }

        var unitText = trimmed[digitCount..].TrimStart();
        long nanosecondsPerUnit;
        if (unitText.Length == 0)
        {
            nanosecondsPerUnit = bareNumberUnit switch
            {
                DurationUnit.Milliseconds => TimeSpan.TicksPerMillisecond * NanosecondsPerTick,
                DurationUnit.Seconds => TimeSpan.TicksPerSecond * NanosecondsPerTick,
                _ => throw new ArgumentOutOfRangeException(nameof(bareNumberUnit), bareNumberUnit, "Unknown duration unit."),
            };
        }
        else if (!NanosecondsPerUnit.TryGetValue(unitText, out nanosecondsPerUnit))
        {
            throw InvalidDuration(text, bareNumberUnit, string.Empty);
        }

        var tooLarge = $" The duration must be at most {TimeSpan.MaxValue.Days} days.";
        if (!long.TryParse(trimmed.AsSpan(0, digitCount), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            throw InvalidDuration(text, bareNumberUnit, tooLarge);
        }

        // Int128 can represent any long times the largest unit, so the product cannot overflow.
        var ticks = (Int128)value * nanosecondsPerUnit / NanosecondsPerTick;
        if (ticks > TimeSpan.MaxValue.Ticks)
        {
            throw InvalidDuration(text, bareNumberUnit, tooLarge);
        }

        return TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>
    /// Formats a duration with the largest unit that represents it exactly, such as <c>30s</c>,
    /// <c>500ms</c>, <c>1min</c> or <c>1h</c>. Zero formats as <c>0ms</c>.
    /// </summary>
    /// <remarks>
    /// NOTE: a duration that is not a whole number of microseconds is formatted in nanoseconds. Beyond
    /// <see cref="long.MaxValue"/> nanoseconds (about 292 years) that number is too large for <see cref="Parse"/>.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">The duration is negative.</exception>
    public static string Format(TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.Zero);

        var ticks = duration.Ticks;
        if (ticks == 0)
        {
            return "0ms";
        }

        foreach (var (unitTicks, label) in FormatUnits)
        {
            if (ticks % unitTicks == 0)
            {
                return string.Create(CultureInfo.InvariantCulture, $"{ticks / unitTicks}{label}");
            }
        }

        var nanoseconds = (Int128)ticks * NanosecondsPerTick;
        return nanoseconds.ToString(CultureInfo.InvariantCulture) + "ns";
    }

    private static OptionFormatException InvalidDuration(string text, DurationUnit bareNumberUnit, string detail)
    {
        var bareUnitName = bareNumberUnit == DurationUnit.Seconds ? "seconds" : "milliseconds";

        return new OptionFormatException(
            $"Invalid duration '{text}': expected a whole number with an optional unit (ms, s, min, h, d), " +
            $"such as 500ms, 30s or 1min. A number without a unit means {bareUnitName}.{detail}");
    }
}
