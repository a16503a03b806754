namespace Connector.Node.Hosting;

/// <summary>The node's process exit codes.</summary>
internal static class ExitCodes
{
    /// <summary>Every pipeline completed.</summary>
    public const int Success = 0;

    /// <summary>A pipeline failed.</summary>
    public const int PipelineFailed = 1;

    /// <summary>The command line or the configuration is invalid.</summary>
    public const int InvalidConfiguration = 2;
}
