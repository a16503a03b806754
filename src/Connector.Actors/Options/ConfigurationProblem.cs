namespace Connector.Actors.Options;

/// <summary>One invalid setting: where it is, which option, and what is wrong with it.</summary>
/// <param name="Scope">The table or pipeline, such as <c>table 'customers'</c>.</param>
/// <param name="Option">The option name, or null when the problem is not about one option.</param>
/// <param name="Message">What is wrong, with the value (unless secret) and what is allowed.</param>
public sealed record ConfigurationProblem(string Scope, string? Option, string Message)
{
    /// <inheritdoc />
    public override string ToString() =>
        Option is null ? $"{Scope}: {Message}" : $"{Scope}, option '{Option}': {Message}";
}
