namespace Connector.Node.Tests.Support;

/// <summary>Finds the repository root from the test output folder, for tests that run the shipped HOCON files.</summary>
public static class RepositoryPaths
{
    public static string Root
    {
        get
        {
            var folder = new DirectoryInfo(AppContext.BaseDirectory);
            while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "HttpActors.sln")))
            {
                folder = folder.Parent;
            }

            return folder?.FullName ?? throw new DirectoryNotFoundException("HttpActors.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
