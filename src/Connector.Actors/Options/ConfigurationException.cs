namespace Connector.Actors.Options;

/// <summary>Thrown when a configuration has problems; lists every problem found, not only the first.</summary>
public sealed class ConfigurationException : Exception
{
    /// <summary>Creates the exception from the problems found.</summary>
    public ConfigurationException(IReadOnlyList<ConfigurationProblem> problems)
        : base(FormatMessage(problems))
    {
        Problems = problems;
    }

    /// <summary>Every problem found.</summary>
    public IReadOnlyList<ConfigurationProblem> Problems { get; }

    private static string FormatMessage(IReadOnlyList<ConfigurationProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);

        var noun = problems.Count == 1 ? "problem" : "problems";
        return $"Invalid configuration ({problems.Count} {noun}):" + Environment.NewLine +
            string.Join(Environment.NewLine, problems.Select(p => "  - " + p));
    }
}
