using Connector.Actors.Auth;
using Connector.Actors.Http;
using Connector.Actors.Options;
using Connector.Actors.Schema;

namespace Connector.Actors.Lookup;

/// <summary>The validated settings of one <c>rest-lookup</c> table, built once from its options.</summary>
public sealed class LookupSettings
{
    private static readonly Dictionary<string, LookupResultType> ResultTypes = new(StringComparer.Ordinal)
    {
        ["single-value"] = LookupResultType.SingleValue,
        ["array"] = LookupResultType.Array,
    };

    private static readonly Dictionary<string, QueryCreatorKind> QueryCreators = new(StringComparer.Ordinal)
    {
        ["generic-get-query"] = QueryCreatorKind.GenericGetQuery,
        ["http-generic-get-query"] = QueryCreatorKind.GenericGetQuery,
        ["generic-json-query"] = QueryCreatorKind.GenericJsonQuery,
        ["http-generic-json-query"] = QueryCreatorKind.GenericJsonQuery,
        ["generic-json-url"] = QueryCreatorKind.GenericJsonUrl,
        ["http-generic-json-url"] = QueryCreatorKind.GenericJsonUrl,
    };

    private static readonly Dictionary<string, bool> CacheKinds = new(StringComparer.OrdinalIgnoreCase)
    {
        ["NONE"] = false,
        ["PARTIAL"] = true,
    };

    private static readonly Dictionary<string, bool> Callbacks = new(StringComparer.Ordinal)
    {
        ["slf4j-lookup-logger"] = true,
        ["http-slf4j-lookup-logger"] = true,
        ["logger"] = true,
        ["none"] = false,
    };

    private LookupSettings(string tableName)
    {
        TableName = tableName;
    }

    /// <summary>The table's name.</summary>
    public string TableName { get; }

    /// <summary>The lookup table's columns, metadata columns included.</summary>
    public RowType Columns { get; private set; } = null!;

    /// <summary>The URL, possibly with placeholders.</summary>
    public string Url { get; private set; } = null!;

    /// <summary>The request method.</summary>
    public HttpMethod Method { get; private set; } = HttpMethod.Get;

    /// <summary>How keys become the request.</summary>
    public QueryCreatorKind QueryCreator { get; private set; }

    /// <summary>Concurrent requests.</summary>
    public int Parallelism { get; private set; }

    /// <summary>How response bodies map to rows.</summary>
    public LookupResultType ResultType { get; private set; }

    /// <summary>True when failed lookups emit no data instead of failing the pipeline.</summary>
    public bool ContinueOnError { get; private set; }

    internal IReadOnlyList<string> QueryParamFields { get; private set; } = [];

    internal IReadOnlyList<string> BodyFields { get; private set; } = [];

    internal IReadOnlyList<KeyValuePair<string, string>> UrlMap { get; private set; } = [];

    internal RequestHeaders Headers { get; private set; } = RequestHeaders.Empty;

    internal LookupStatusCodes StatusCodes { get; private set; } = null!;

    internal RetrySettings Retry { get; private set; } = RetrySettings.None;

    internal TimeSpan RequestTimeout { get; private set; }

    internal HttpClientSettings Client { get; private set; } = HttpClientSettings.Default;

    internal OidcSettings? Oidc { get; private set; }

    /// <summary>The endpoint identity, rate limit and circuit breaker shared with other tables and nodes.</summary>
    public Cluster.EndpointSettings Endpoint { get; private set; } = null!;

    internal LookupCacheSettings? Cache { get; private set; }

    internal bool IgnoreParseErrors { get; private set; }

    internal bool FailOnMissingField { get; private set; }

    internal HttpLoggingLevel LoggingLevel { get; private set; }

    internal bool LogEachRequest { get; private set; }

    /// <summary>Builds settings from a table's options.</summary>
    /// <exception cref="ConfigurationException">One or more options are invalid; every problem is listed.</exception>
    public static LookupSettings Create(TableOptions options)
    {
        var (settings, problems) = TryCreate(options);
        return problems.Count == 0 ? settings! : throw new ConfigurationException(problems);
    }

    /// <summary>Builds settings from a table's options, returning every problem instead of throwing.</summary>
    public static (LookupSettings? Settings, IReadOnlyList<ConfigurationProblem> Problems) TryCreate(TableOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);

        var reader = new OptionReader(options, LookupOptions.All);
        var settings = new LookupSettings(options.TableName);
        settings.Read(reader);
        reader.ReportUnknownOptions();
        return reader.Problems.Count == 0 ? (settings, reader.Problems) : (null, reader.Problems);
    }

    private void Read(OptionReader reader)
    {
        HttpOptionsReader.CheckFormat(reader);
        Columns = ReadColumns(reader);
        Url = HttpOptionsReader.ReadUrl(reader) ?? "http://invalid";

        var method = (reader.GetString(LookupOptions.LookupMethod) ?? "GET").Trim().ToUpperInvariant();
        if (method.Length == 0 || !method.All(char.IsAsciiLetter))
        {
            reader.AddProblem(LookupOptions.LookupMethod, $"invalid method '{method}'; expected an HTTP verb such as GET, POST or PUT.");
            method = "GET";
        }

        Method = HttpMethod.Parse(method);
        QueryCreator = reader.GetChoice(
            LookupOptions.QueryCreator,
            Method == HttpMethod.Get ? QueryCreatorKind.GenericGetQuery : QueryCreatorKind.GenericJsonQuery,
            QueryCreators);
        ReadRequestMapping(reader);

        var raw = reader.GetBoolean(LookupOptions.UseRawAuthorizationHeader, false);
        Headers = RequestHeaders.Create(reader, LookupOptions.HeaderPrefix, raw);
        StatusCodes = ReadStatusCodes(reader);
        Retry = RetrySettings.Read(
            reader,
            LookupOptions.MaxRetries,
            LookupOptions.RetryStrategyType,
            LookupOptions.FixedDelay,
            LookupOptions.InitialBackoff,
            LookupOptions.MaxBackoff,
            LookupOptions.BackoffMultiplier);
        RequestTimeout = reader.GetDuration(LookupOptions.RequestTimeout, TimeSpan.FromSeconds(30), DurationUnit.Seconds);
        if (RequestTimeout <= TimeSpan.Zero)
        {
            reader.AddProblem(LookupOptions.RequestTimeout, "the request timeout must be longer than zero.");
            RequestTimeout = TimeSpan.FromSeconds(30);
        }

        Parallelism = reader.GetPositiveInt(LookupOptions.RequestThreadPoolSize, 8);
        reader.GetPositiveInt(LookupOptions.ResponseThreadPoolSize, 4);
        reader.GetBoolean(LookupOptions.AsyncPolling, false);
        Client = new HttpClientSettings(
            reader.GetOptionalDuration(LookupOptions.ConnectionTimeout, DurationUnit.Seconds),
            HttpOptionsReader.ReadHttpVersion(reader, LookupOptions.HttpVersion),
            HttpOptionsReader.ReadTls(reader),
            HttpOptionsReader.ReadProxy(reader, LookupOptions.ProxyHost, LookupOptions.ProxyPort, LookupOptions.ProxyUsername, LookupOptions.ProxyPassword),
            int.MaxValue);
        Oidc = HttpOptionsReader.ReadOidc(reader);
        Endpoint = Cluster.EndpointSettings.Read(reader, Url);
        ResultType = reader.GetChoice(LookupOptions.ResultType, LookupResultType.SingleValue, ResultTypes);
        ContinueOnError = reader.GetBoolean(LookupOptions.ContinueOnError, false);
        IgnoreParseErrors = reader.GetBoolean(CommonOptions.JsonIgnoreParseErrors, false);
        FailOnMissingField = reader.GetBoolean(CommonOptions.JsonFailOnMissingField, false);
        LoggingLevel = HttpOptionsReader.ReadLoggingLevel(reader);
        LogEachRequest = reader.GetChoice(LookupOptions.RequestCallback, true, Callbacks);
        Cache = ReadCache(reader);
        var requestFormat = reader.GetString(LookupOptions.RequestFormat);
        if (requestFormat is not null && !requestFormat.Equals("json", StringComparison.OrdinalIgnoreCase))
        {
            reader.AddProblem(LookupOptions.RequestFormat, $"unsupported request format '{requestFormat}'; only json is supported.");
        }
    }

    private static RowType ReadColumns(OptionReader reader)
    {
        var text = reader.Require(CommonOptions.Columns, "declare the lookup table's columns, such as \"id STRING, msg STRING\".");
        if (text is null)
        {
            return RowType.Of(("id", DataType.Scalar(TypeKind.String)));
        }

        try
        {
            var columns = TypeParser.ParseColumns(text);
            foreach (var field in columns.Fields.Where(f => f.IsMetadata))
            {
                if (!LookupMetadata.Keys.TryGetValue(field.MetadataKey!, out var expected))
                {
                    reader.AddProblem(CommonOptions.Columns, $"column '{field.Name}' reads unknown metadata key '{field.MetadataKey}'; " +
                        $"known keys: {string.Join(", ", LookupMetadata.Keys.Keys)}.");
                }
                else if (!LookupMetadata.IsCompatible(field.MetadataKey!, field.Type))
                {
                    reader.AddProblem(CommonOptions.Columns, $"metadata column '{field.Name}' is declared {field.Type}; " +
                        $"'{field.MetadataKey}' needs {expected}.");
                }
            }

            return columns;
        }
        catch (TypeSyntaxException exception)
        {
            reader.AddProblem(CommonOptions.Columns, exception.Message);
            return RowType.Of(("id", DataType.Scalar(TypeKind.String)));
        }
    }

    private void ReadRequestMapping(OptionReader reader)
    {
        QueryParamFields = SplitList(reader.GetString(LookupOptions.QueryParamFields), ';');
        BodyFields = SplitList(reader.GetString(LookupOptions.BodyFields), ';');
        var urlMap = new List<KeyValuePair<string, string>>();
        foreach (var item in SplitList(reader.GetString(LookupOptions.UrlMap), ','))
        {
            var colon = item.IndexOf(':');
            if (colon <= 0 || colon == item.Length - 1)
            {
                reader.AddProblem(LookupOptions.UrlMap, $"invalid entry '{item}'; expected column:placeholder pairs separated by commas, such as customerId:cid,orderId:oid.");
                continue;
            }

            urlMap.Add(new(item[..colon].Trim(), item[(colon + 1)..].Trim()));
        }

        UrlMap = urlMap;
        var usesMapping = QueryParamFields.Count > 0 || BodyFields.Count > 0 || UrlMap.Count > 0;
        if (usesMapping && QueryCreator != QueryCreatorKind.GenericJsonUrl)
        {
            reader.AddProblem(LookupOptions.QueryCreator, "http.request.* mapping options are set, but only generic-json-url reads them; " +
                "set http.source.lookup.query-creator = generic-json-url.");
        }

        foreach (var column in QueryParamFields.Concat(BodyFields).Concat(UrlMap.Select(m => m.Key)))
        {
            if (Columns.IndexOf(column) < 0)
            {
                reader.AddProblem(LookupOptions.UrlMap, $"column '{column}' is not a column of the lookup table; declared columns: " +
                    $"{string.Join(", ", Columns.Fields.Select(f => f.Name))}.");
            }
        }

        var placeholders = HttpOptionsReader.PlaceholderPattern.Matches(Url)
            .Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value)
            .ToArray();
        foreach (var placeholder in placeholders)
        {
            if (QueryCreator != QueryCreatorKind.GenericJsonUrl)
            {
                reader.AddProblem(CommonOptions.Url, $"placeholder '{{{placeholder}}}' is never filled: only the generic-json-url query creator fills " +
                    "placeholders; set http.source.lookup.query-creator = generic-json-url and map a column to it in http.request.url-map.");
            }
            else if (UrlMap.All(m => m.Value != placeholder))
            {
                reader.AddProblem(CommonOptions.Url, $"placeholder '{{{placeholder}}}' is not mapped; add 'column:{placeholder}' to http.request.url-map.");
            }
        }

        foreach (var mapping in UrlMap.Where(m => !placeholders.Contains(m.Value)))
        {
            reader.AddProblem(LookupOptions.UrlMap, $"placeholder '{mapping.Value}' mapped from column '{mapping.Key}' does not appear in the URL; " +
                $"write {{{mapping.Value}}} in the URL or remove the mapping.");
        }
    }

    private static LookupStatusCodes ReadStatusCodes(OptionReader reader)
    {
        var valid = true;
        foreach (var option in new[] { LookupOptions.SuccessCodes, LookupOptions.RetryCodes, LookupOptions.IgnoredResponseCodes })
        {
            var text = reader.GetString(option);
            if (text is null)
            {
                continue;
            }

            try
            {
                StatusCodeSet.Parse(text);
            }
            catch (OptionFormatException exception)
            {
                reader.AddProblem(option, exception.Message);
                valid = false;
            }
        }

        if (valid)
        {
            try
            {
                return LookupStatusCodes.Create(
                    reader.GetString(LookupOptions.SuccessCodes),
                    reader.GetString(LookupOptions.RetryCodes),
                    reader.GetString(LookupOptions.IgnoredResponseCodes),
                    reader.GetString(LookupOptions.ErrorCode),
                    reader.GetString(LookupOptions.ErrorCodeExclude));
            }
            catch (OptionFormatException exception)
            {
                reader.AddProblem(LookupOptions.SuccessCodes, exception.Message);
            }
        }

        return LookupStatusCodes.Create(null, null, null, null, null);
    }

    private static LookupCacheSettings? ReadCache(OptionReader reader)
    {
        var partial = reader.GetChoice(LookupOptions.Cache, false, CacheKinds);
        var maxRows = reader.GetPositiveInt(LookupOptions.CacheMaxRows, 10_000);
        var afterWrite = reader.GetOptionalDuration(LookupOptions.CacheExpireAfterWrite, DurationUnit.Milliseconds);
        var afterAccess = reader.GetOptionalDuration(LookupOptions.CacheExpireAfterAccess, DurationUnit.Milliseconds);
        var missingKey = reader.GetBoolean(LookupOptions.CacheMissingKey, true);
        if (partial)
        {
            return new LookupCacheSettings(maxRows, afterWrite, afterAccess, missingKey);
        }

        foreach (var option in new[] { LookupOptions.CacheMaxRows, LookupOptions.CacheExpireAfterWrite, LookupOptions.CacheExpireAfterAccess, LookupOptions.CacheMissingKey })
        {
            if (reader.GetString(option) is not null)
            {
                reader.AddProblem(option, $"has no effect unless {LookupOptions.Cache} = PARTIAL; set that or remove this option.");
            }
        }

        return null;
    }

    private static string[] SplitList(string? text, char separator) =>
        string.IsNullOrWhiteSpace(text)
            ? []
            : text.Split(separator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
