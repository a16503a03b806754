using System.Reflection;
using Akka.Configuration;
using Connector.Actors.Options;

namespace Connector.Node.Configuration;

/// <summary>Loads the node's configuration: the built-in defaults, then each file given, later files winning.</summary>
internal static class NodeConfigLoader
{
    /// <summary>Returns the built-in defaults, the same text as <c>hocon/node.conf</c>.</summary>
    public static Config Defaults()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Connector.Node.node.conf")
            ?? throw new InvalidOperationException("The node.conf resource is missing from the build.");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    }

    /// <summary>
    /// Parses and merges the files; problems name the file and what is wrong. The values of the environment variables
    /// that the files take are returned too, so that messages about the configuration can mask them.
    /// </summary>
    public static (Config Config, IReadOnlyList<ConfigurationProblem> Problems, IReadOnlyCollection<string> VariableValues) Load(
        IReadOnlyList<string> paths)
    {
        var problems = new List<ConfigurationProblem>();
        var variableValues = new HashSet<string>(StringComparer.Ordinal);
        var merged = Defaults();
        foreach (var path in paths)
        {
            var scope = $"file '{path}'";
            if (!File.Exists(path))
            {
                problems.Add(new ConfigurationProblem(scope, null, "file not found; check the path, which is relative to the working directory."));
                continue;
            }

            try
            {
                var text = File.ReadAllText(path);
                var unsupported = FindUnsupportedSyntax(text);
                if (unsupported is not null)
                {
                    problems.Add(new ConfigurationProblem(scope, null, unsupported));
                    continue;
                }

                var (config, problem) = EnvironmentSubstitution.Parse(text, Environment.GetEnvironmentVariable, variableValues);
                if (problem is not null)
                {
                    problems.AddRange(problem.Split('\n').Select(line => new ConfigurationProblem(scope, null, line)));
                    continue;
                }

                merged = config!.WithFallback(merged);
            }
            catch (Exception exception) when (exception is Akka.Configuration.ConfigurationException or FormatException
                or IOException or UnauthorizedAccessException or NullReferenceException or InvalidOperationException)
            {
                problems.Add(new ConfigurationProblem(scope, null, $"cannot be read as HOCON: {exception.Message}"));
            }
        }

        return (merged, problems, variableValues);
    }

    /// <summary>
    /// Returns a problem for a file that is not text, or that uses include, which Akka's parser (1.5) fails on, so it is
    /// rejected with its line number before parsing.
    /// </summary>
    private static string? FindUnsupportedSyntax(string text)
    {
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            return "is not a text file.";
        }

        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimStart();
            if (line.StartsWith('#') || line.StartsWith("//", StringComparison.Ordinal))
            {
                continue;
            }

            if (line.StartsWith("include ", StringComparison.Ordinal) || line.StartsWith("include(", StringComparison.Ordinal))
            {
                return $"line {i + 1}: include is not supported; give the node every file on the command line instead, later files overriding earlier ones.";
            }

        }

        return null;
    }
}
