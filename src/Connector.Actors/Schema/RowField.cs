namespace Connector.Actors.Schema;

/// <summary>A named column of a row type, optionally read from response metadata instead of the body.</summary>
/// <param name="Name">The column name, case-sensitive.</param>
/// <param name="Type">The column type.</param>
/// <param name="MetadataKey">The metadata key for <c>METADATA FROM 'key'</c> columns, otherwise null.</param>
public sealed record RowField(string Name, DataType Type, string? MetadataKey = null)
{
    /// <summary>True for a metadata column, which is filled from the HTTP exchange and never from the body.</summary>
    public bool IsMetadata => MetadataKey is not null;

    /// <inheritdoc />
    public override string ToString() =>
        MetadataKey is null ? $"{QuotedName} {Type}" : $"{QuotedName} {Type} METADATA FROM '{MetadataKey}'";

    // A name that the parser reads only between backquotes, such as `user id`, is printed quoted so the text parses back.
    private string QuotedName =>
        Name.Length > 0 && Name.All(c => char.IsLetterOrDigit(c) || c is '_' or '$') ? Name : $"`{Name}`";
}
