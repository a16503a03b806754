using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Connector.Actors.Tests.Http;

/// <summary>
/// A tinyproxy process in the foreground on 127.0.0.1 with a free port and a generated configuration in a temp
/// folder. It forwards requests only to the host 127.0.0.1 and tunnels CONNECT requests only to one port.
/// </summary>
public sealed class TinyproxyServer : IDisposable
{
    /// <summary>The message of the exception thrown when no tinyproxy binary is on the PATH.</summary>
    public const string NotInstalledMessage =
        "tinyproxy was not found on the PATH, but the proxy tests start their own tinyproxy instances. "
        + "Install it with 'apt-get install -y tinyproxy' (Debian and Ubuntu), or run .ci/run, which installs it.";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly string _directory;
    private readonly string _logPath;
    private readonly StringBuilder _output = new();

    private TinyproxyServer(Process process, string directory, string logPath, int port)
    {
        _process = process;
        _directory = directory;
        _logPath = logPath;
        Port = port;
    }

    /// <summary>The port the proxy listens on, on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>
    /// Starts tinyproxy. With <paramref name="username"/> and <paramref name="password"/>, the proxy requires Basic
    /// authentication and responds with 407 to requests without those credentials.
    /// </summary>
    /// <param name="connectPort">The only port that the proxy opens CONNECT tunnels to.</param>
    /// <param name="username">The user name that the proxy requires, or null for an open proxy.</param>
    /// <param name="password">The password that the proxy requires, or null for an open proxy.</param>
    /// <exception cref="InvalidOperationException">
    /// tinyproxy is not installed, or it did not start listening within 10 seconds.
    /// </exception>
    public static async Task<TinyproxyServer> StartAsync(int connectPort, string? username = null, string? password = null)
    {
        string executable = FindExecutable();
        string directory = Directory.CreateTempSubdirectory("httpactors-tinyproxy-").FullName;
        string logPath = Path.Combine(directory, "tinyproxy.log");
        string filterPath = Path.Combine(directory, "filter");
        string configPath = Path.Combine(directory, "tinyproxy.conf");
        int port = FreePort();

        // The filter is an allow list, so the proxy rejects every target host other than 127.0.0.1.
        await File.WriteAllTextAsync(filterPath, "^127\\.0\\.0\\.1$\n");
        await File.WriteAllTextAsync(configPath, Config(port, connectPort, logPath, filterPath, username, password));

        var startInfo = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add("-d");
        startInfo.ArgumentList.Add("-c");
        startInfo.ArgumentList.Add(configPath);

        var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"Starting '{executable}' returned no process.");
        var server = new TinyproxyServer(process, directory, logPath, port);
        process.OutputDataReceived += (_, line) => server.AppendOutput(line.Data);
        process.ErrorDataReceived += (_, line) => server.AppendOutput(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            await server.WaitUntilListeningAsync();
        }
        catch
        {
            server.Dispose();
            throw;
        }

        return server;
    }

    /// <summary>Returns the full path of the tinyproxy binary on the PATH.</summary>
    /// <exception cref="InvalidOperationException">No tinyproxy binary is on the PATH.</exception>
    public static string FindExecutable()
    {
        string[] directories = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return directories
            .Select(directory => Path.Combine(directory, "tinyproxy"))
            .FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException(NotInstalledMessage);
    }

    /// <summary>Returns the log file's content so far.</summary>
    public string ReadLog()
    {
        using var stream = new FileStream(_logPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(TimeSpan.FromSeconds(5));
            }
        }
        finally
        {
            _process.Dispose();
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static string Config(
        int port,
        int connectPort,
        string logPath,
        string filterPath,
        string? username,
        string? password)
    {
        var config = new StringBuilder()
            .AppendLine("Listen 127.0.0.1")
            .AppendLine($"Port {port}")
            .AppendLine("Allow 127.0.0.1")
            .AppendLine("Timeout 30")
            .AppendLine($"LogFile \"{logPath}\"")
            .AppendLine("LogLevel Info")
            .AppendLine($"Filter \"{filterPath}\"")
            .AppendLine("FilterType ere")
            .AppendLine("FilterDefaultDeny Yes")
            .AppendLine($"ConnectPort {connectPort}");
        if (username is not null && password is not null)
        {
            config.AppendLine($"BasicAuth {username} {password}");
        }

        return config.ToString();
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private void AppendOutput(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private async Task WaitUntilListeningAsync()
    {
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < StartTimeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException(
                    $"tinyproxy exited with code {_process.ExitCode} before it listened on port {Port}. "
                    + $"Output: {Output()} Log: {ReadLogIfPresent()}");
            }

            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new InvalidOperationException(
            $"tinyproxy did not listen on port {Port} within {StartTimeout.TotalSeconds:0} s. "
            + $"Output: {Output()} Log: {ReadLogIfPresent()}");
    }

    private string Output()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }

    private string ReadLogIfPresent()
    {
        return File.Exists(_logPath) ? ReadLog() : "(no log file)";
    }
}
