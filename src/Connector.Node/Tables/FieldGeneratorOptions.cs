namespace Connector.Node.Tables;

/// <summary>The <c>fields.&lt;column&gt;.*</c> options of one datagen column.</summary>
internal sealed record FieldGeneratorOptions(
    bool IsSequence,
    decimal Start,
    decimal End,
    double? Min,
    double? Max,
    int? Length,
    TimeSpan MaxPast,
    double NullRate)
{
    /// <summary>Random values with the type's default range.</summary>
    public static FieldGeneratorOptions Random { get; } = new(false, 0, 0, null, null, null, TimeSpan.Zero, 0);
}
