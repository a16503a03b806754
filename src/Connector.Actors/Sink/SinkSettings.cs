using Connector.Actors.Auth;
using Connector.Actors.Http;
using Connector.Actors.Options;

namespace Connector.Actors.Sink;

/// <summary>The validated settings of one <c>http-sink</c> table, built once from its options.</summary>
public sealed class SinkSettings
{
    private static readonly Dictionary<string, HttpMethod> Methods = new(StringComparer.Ordinal)
    {
        ["POST"] = HttpMethod.Post,
        ["PUT"] = HttpMethod.Put,
    };

    private static readonly Dictionary<string, SinkRequestMode> Modes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["batch"] = SinkRequestMode.Batch,
        ["single"] = SinkRequestMode.Single,
    };

    private static readonly Dictionary<string, SinkFailurePolicy> Policies = new(StringComparer.OrdinalIgnoreCase)
    {
        ["fail"] = SinkFailurePolicy.Fail,
        ["dead-letter"] = SinkFailurePolicy.DeadLetter,
        ["drop"] = SinkFailurePolicy.Drop,
    };

    private static readonly Dictionary<string, bool> Callbacks = new(StringComparer.Ordinal)
    {
        ["slf4j-logger"] = true,
        ["http-slf4j-logger"] = true,
        ["logger"] = true,
        ["none"] = false,
    };

    private SinkSettings(string tableName)
    {
        TableName = tableName;
    }

    /// <summary>The table's name.</summary>
    public string TableName { get; }

    /// <summary>The endpoint URL.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>POST or PUT.</summary>
    public HttpMethod Method { get; private set; } = HttpMethod.Post;

    /// <summary>Batch or single requests.</summary>
    public SinkRequestMode Mode { get; private set; }

    /// <summary>Rows buffered before a flush.</summary>
    public int BatchMaxSize { get; private set; }

    /// <summary>Rows per request in batch mode.</summary>
    public int RequestBatchSize { get; private set; }

    /// <summary>Most encoded row bytes in one request; a flush with more is split into several requests.</summary>
    public long FlushBufferSize { get; private set; }

    /// <summary>Longest wait of the first buffered row before a flush.</summary>
    public TimeSpan FlushBufferTimeout { get; private set; }

    /// <summary>Concurrent requests.</summary>
    public int MaxInflight { get; private set; }

    /// <summary>Rows buffered before upstream is backpressured.</summary>
    public int MaxBuffered { get; private set; }

    /// <summary>Largest encoded row in bytes.</summary>
    public long MaxRecordSize { get; private set; }

    /// <summary>What a request that fails for good does.</summary>
    public SinkFailurePolicy OnFailure { get; private set; }

    /// <summary>The dead-letter file, with <see cref="SinkFailurePolicy.DeadLetter"/>.</summary>
    public string? DeadLetterPath { get; private set; }

    internal RequestHeaders Headers { get; private set; } = RequestHeaders.Empty;

    internal SinkErrorCodes ErrorCodes { get; private set; } = null!;

    internal StatusCodeSet RetryCodes { get; private set; } = null!;

    internal RetrySettings Retry { get; private set; } = RetrySettings.None;

    internal TimeSpan RequestTimeout { get; private set; }

    internal HttpClientSettings Client { get; private set; } = HttpClientSettings.Default;

    internal OidcSettings? Oidc { get; private set; }

    /// <summary>The endpoint identity, rate limit and circuit breaker shared with other tables and nodes.</summary>
    public Cluster.EndpointSettings Endpoint { get; private set; } = null!;

    internal HttpLoggingLevel LoggingLevel { get; private set; }

    internal bool LogEachRequest { get; private set; }

    /// <summary>Builds settings from a table's options.</summary>
    /// <exception cref="ConfigurationException">One or more options are invalid; every problem is listed.</exception>
    public static SinkSettings Create(TableOptions options)
    {
        var (settings, problems) = TryCreate(options);
        return problems.Count == 0 ? settings! : throw new ConfigurationException(problems);
    }

    /// <summary>Builds settings from a table's options, returning every problem instead of throwing.</summary>
    public static (SinkSettings? Settings, IReadOnlyList<ConfigurationProblem> Problems) TryCreate(TableOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);

        var reader = new OptionReader(options, SinkOptions.All);
        var settings = new SinkSettings(options.TableName);
        settings.Read(reader);
        reader.ReportUnknownOptions();
        return reader.Problems.Count == 0 ? (settings, reader.Problems) : (null, reader.Problems);
    }

    private void Read(OptionReader reader)
    {
        HttpOptionsReader.CheckFormat(reader);
        var url = HttpOptionsReader.ReadUrl(reader);
        if (url is not null && HttpOptionsReader.PlaceholderPattern.IsMatch(url))
        {
            reader.AddProblem(CommonOptions.Url, "the sink URL cannot contain placeholders; rows are sent in the body.");
        }

        Url = url is not null && Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri : new Uri("http://invalid");
        Method = reader.GetChoice(SinkOptions.InsertMethod, HttpMethod.Post, Methods);
        Mode = reader.GetChoice(SinkOptions.RequestMode, SinkRequestMode.Batch, Modes);
        BatchMaxSize = reader.GetPositiveInt(SinkOptions.BatchMaxSize, 500);
        RequestBatchSize = reader.GetPositiveInt(SinkOptions.RequestBatchSize, BatchMaxSize);
        FlushBufferSize = reader.GetByteSize(SinkOptions.FlushBufferSize, 5L * 1024 * 1024);
        FlushBufferTimeout = reader.GetDuration(SinkOptions.FlushBufferTimeout, TimeSpan.FromSeconds(5), DurationUnit.Milliseconds);
        if (FlushBufferTimeout <= TimeSpan.Zero)
        {
            reader.AddProblem(SinkOptions.FlushBufferTimeout, "the flush timeout must be longer than zero.");
            FlushBufferTimeout = TimeSpan.FromSeconds(5);
        }

        MaxInflight = reader.GetPositiveInt(SinkOptions.MaxInflight, 50);
        MaxBuffered = reader.GetPositiveInt(SinkOptions.MaxBuffered, 10_000);
        MaxRecordSize = reader.GetByteSize(SinkOptions.MaxRecordSize, 1024 * 1024);
        reader.GetPositiveInt(SinkOptions.WriterThreadPoolSize, 1);

        var raw = reader.GetBoolean(SinkOptions.UseRawAuthorizationHeader, false);
        Headers = RequestHeaders.Create(reader, SinkOptions.HeaderPrefix, raw);
        ReadStatusCodes(reader);
        Retry = RetrySettings.Read(
            reader,
            SinkOptions.MaxRetries,
            SinkOptions.RetryStrategyType,
            SinkOptions.FixedDelay,
            SinkOptions.InitialBackoff,
            SinkOptions.MaxBackoff,
            SinkOptions.BackoffMultiplier);
        RequestTimeout = reader.GetDuration(SinkOptions.RequestTimeout, TimeSpan.FromSeconds(30), DurationUnit.Seconds);
        if (RequestTimeout <= TimeSpan.Zero)
        {
            reader.AddProblem(SinkOptions.RequestTimeout, "the request timeout must be longer than zero.");
            RequestTimeout = TimeSpan.FromSeconds(30);
        }

        Client = new HttpClientSettings(
            reader.GetOptionalDuration(SinkOptions.ConnectionTimeout, DurationUnit.Seconds),
            HttpVersionChoice.Http11,
            HttpOptionsReader.ReadTls(reader),
            HttpOptionsReader.ReadProxy(reader, SinkOptions.ProxyHost, SinkOptions.ProxyPort, SinkOptions.ProxyUsername, SinkOptions.ProxyPassword),
            MaxInflight);
        Oidc = HttpOptionsReader.ReadOidc(reader);
        Endpoint = Cluster.EndpointSettings.Read(reader, Url.AbsoluteUri);
        LoggingLevel = HttpOptionsReader.ReadLoggingLevel(reader);
        LogEachRequest = reader.GetChoice(SinkOptions.RequestCallback, true, Callbacks);
        OnFailure = reader.GetChoice(SinkOptions.OnFailure, SinkFailurePolicy.Fail, Policies);
        DeadLetterPath = HttpOptionsReader.NullIfBlank(reader.GetString(SinkOptions.DeadLetterPath));
        if (OnFailure == SinkFailurePolicy.DeadLetter && DeadLetterPath is null)
        {
            reader.AddProblem(SinkOptions.DeadLetterPath, "missing; on-failure = dead-letter needs a file path for the failed rows.");
        }
        else if (OnFailure != SinkFailurePolicy.DeadLetter && DeadLetterPath is not null)
        {
            reader.AddProblem(SinkOptions.DeadLetterPath, $"has no effect unless {SinkOptions.OnFailure} = dead-letter; set that or remove this option.");
        }
        else if (DeadLetterPath is not null)
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(DeadLetterPath));
            if (directory is not null && !Directory.Exists(directory))
            {
                reader.AddProblem(SinkOptions.DeadLetterPath, $"directory '{directory}' of '{DeadLetterPath}' does not exist; create it or choose another path.");
            }
        }
    }

    private void ReadStatusCodes(OptionReader reader)
    {
        try
        {
            ErrorCodes = SinkErrorCodes.Parse(reader.GetString(SinkOptions.ErrorCode), reader.GetString(SinkOptions.ErrorCodeExclude));
        }
        catch (OptionFormatException exception)
        {
            reader.AddProblem(SinkOptions.ErrorCode, exception.Message);
            ErrorCodes = SinkErrorCodes.Parse(null, null);
        }

        try
        {
            RetryCodes = StatusCodeSet.Parse(reader.GetString(SinkOptions.RetryCodes) ?? "429,500,502,503,504");
        }
        catch (OptionFormatException exception)
        {
            reader.AddProblem(SinkOptions.RetryCodes, exception.Message);
            RetryCodes = StatusCodeSet.Empty;
        }
    }
}
