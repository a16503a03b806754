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

    /// <summary>Parses and merges the files; problems name the file and what is wrong.</summary>
    public static (Config Config, IReadOnlyList<ConfigurationProblem> Problems) Load(IReadOnlyList<string> paths)
    {
        var problems = new List<ConfigurationProblem>();
        var merged = Defaults();
        foreach (var path in paths)
        {
            var scope = $"file '{path}'";
            if (!File.Exists(path))
            {
                problems.Add(new ConfigurationProblem(scope, null, "file not found; check the path, which is relative to the current folder."));
                continue;
            }

            try
            {
                var text = File.ReadAllText(path);
                merged = ConfigurationFactory.ParseString(text).WithFallback(merged);
            }
            catch (Exception exception) when (exception is Akka.Configuration.ConfigurationException or FormatException or IOException or UnauthorizedAccessException)
            {
                problems.Add(new ConfigurationProblem(scope, null, $"cannot be read as HOCON: {exception.Message}"));
            }
        }

        return (merged, problems);
    }
}
