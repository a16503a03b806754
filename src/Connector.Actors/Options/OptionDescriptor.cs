namespace Connector.Actors.Options;

/// <summary>A connector option: its name, default and meaning, as listed by the node's <c>options</c> command.</summary>
/// <param name="Name">The option name; a name ending in <c>.&lt;Name&gt;</c> is a family, such as header options.</param>
/// <param name="Default">The default as text, or null when the option has none.</param>
/// <param name="Description">What the option sets, in one or two sentences with its unit.</param>
/// <param name="IsSecret">True when the value must never appear in logs or messages.</param>
public sealed record OptionDescriptor(string Name, string? Default, string Description, bool IsSecret = false)
{
    /// <summary>True for an option family whose last segment is chosen by the user, such as a header name.</summary>
    public bool IsFamily => Name.EndsWith(">", StringComparison.Ordinal);

    /// <summary>The fixed part of a family's name, up to and including the last dot.</summary>
    public string FamilyPrefix => IsFamily ? Name[..Name.LastIndexOf('<')] : Name;
}
