using Connector.Actors.Options;

namespace Connector.Node.Tables;

/// <summary>The options of the node's own connectors: datagen, file, print and blackhole.</summary>
internal static class NodeConnectorOptions
{
    public const string Datagen = "datagen";
    public const string File = "file";
    public const string Print = "print";
    public const string Blackhole = "blackhole";
    public const string RowsPerSecond = "rows-per-second";
    public const string NumberOfRows = "number-of-rows";
    public const string Path = "path";

    /// <summary>The per-field datagen options, under <c>fields.&lt;column&gt;.</c>.</summary>
    public static IReadOnlyDictionary<string, string> DatagenFieldOptions { get; } = new Dictionary<string, string>
    {
        ["kind"] = "sequence or random (default random).",
        ["start"] = "First value of a sequence (inclusive). Required with kind = sequence.",
        ["end"] = "Last value of a sequence (inclusive); the source ends after it. Required with kind = sequence.",
        ["min"] = "Smallest random number (inclusive).",
        ["max"] = "Largest random number (inclusive).",
        ["length"] = "Length of random text (default 100) or of random arrays (default 3).",
        ["max-past"] = "Random timestamps and dates fall within this duration before now (default 0).",
        ["null-rate"] = "Share of random values that are null, from 0 to 1 (default 0).",
    };

    public static IReadOnlyList<OptionDescriptor> DatagenOptions { get; } =
    [
        new(CommonOptions.Connector, Datagen, "Generated rows."),
        new(CommonOptions.Columns, null, "The columns in Flink type syntax. Required."),
        new(RowsPerSecond, "10000", "Rows generated per second."),
        new(NumberOfRows, null, "Total rows; without it the source runs until a sequence ends or the node stops."),
        new("fields.<Name>", null, "Per-column generator options: " +
            string.Join(" ", DatagenFieldOptions.Select(o => $"{o.Key}: {o.Value}"))),
    ];

    public static IReadOnlyList<OptionDescriptor> FileOptions { get; } =
    [
        new(CommonOptions.Connector, File, "An NDJSON file: one JSON object per line. A source reads it; a sink writes it, replacing it."),
        new(Path, null, "The file path, relative to the working directory. Required."),
        new(CommonOptions.Columns, null, "The columns in Flink type syntax. Required for a source; a sink writes the columns it receives."),
        new(CommonOptions.Format, "json", "Only json (NDJSON) is supported."),
        new(CommonOptions.JsonIgnoreParseErrors, "false", "Source: skip malformed lines instead of failing the pipeline with the file and line number."),
        new(CommonOptions.JsonFailOnMissingField, "false", "Source: treat a line that lacks a declared column as malformed."),
    ];

    public static IReadOnlyList<OptionDescriptor> PrintOptions { get; } =
    [
        new(CommonOptions.Connector, Print, "Writes each row to standard output as one JSON line."),
        new(CommonOptions.Columns, null, "Optional; rows are printed with the columns they arrive with."),
        new(CommonOptions.Format, "json", "Only json is supported."),
    ];

    public static IReadOnlyList<OptionDescriptor> BlackholeOptions { get; } =
    [
        new(CommonOptions.Connector, Blackhole, "Discards every row; for measuring."),
        new(CommonOptions.Columns, null, "Optional and ignored."),
    ];
}
