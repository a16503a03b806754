using Connector.Actors.Auth;
using Connector.Actors.Options;

namespace Connector.Actors.Http;

/// <summary>Reads the options both HTTP connectors share: URL, TLS, proxy, OIDC and logging.</summary>
internal static class HttpOptionsReader
{
    private static readonly Dictionary<string, HttpLoggingLevel> LoggingLevels = new(StringComparer.OrdinalIgnoreCase)
    {
        ["MIN"] = HttpLoggingLevel.Min,
        ["REQ_RESP"] = HttpLoggingLevel.ReqResp,
        ["REQRESPONSE"] = HttpLoggingLevel.ReqResp,
        ["MAX"] = HttpLoggingLevel.Max,
    };

    private static readonly Dictionary<string, HttpVersionChoice> Versions = new(StringComparer.Ordinal)
    {
        ["HTTP_1_1"] = HttpVersionChoice.Http11,
        ["HTTP_2"] = HttpVersionChoice.Http2,
    };

    /// <summary>Reads and checks the URL; placeholders are left for the caller to check.</summary>
    public static string? ReadUrl(OptionReader reader)
    {
        var url = reader.Require(CommonOptions.Url, "set it to the endpoint, such as http://127.0.0.1:8080/client.");
        if (url is null)
        {
            return null;
        }

        var probe = PlaceholderPattern.Replace(url, "x");
        if (!Uri.TryCreate(probe, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            reader.AddProblem(CommonOptions.Url, $"invalid URL '{UrlRedaction.Redact(url)}'; expected an absolute http:// or https:// URL.");
            return null;
        }

        return url;
    }

    /// <summary>Matches <c>{name}</c> and <c>{{name}}</c> placeholders.</summary>
    public static System.Text.RegularExpressions.Regex PlaceholderPattern { get; } =
        new(@"\{\{([^{}]+)\}\}|\{([^{}]+)\}", System.Text.RegularExpressions.RegexOptions.Compiled);

    public static void CheckFormat(OptionReader reader)
    {
        var format = reader.GetString(CommonOptions.Format);
        if (format is not null && !format.Equals("json", StringComparison.OrdinalIgnoreCase))
        {
            reader.AddProblem(CommonOptions.Format, $"unsupported format '{format}'; only json is supported.");
        }
    }

    public static HttpLoggingLevel ReadLoggingLevel(OptionReader reader) =>
        reader.GetChoice(CommonOptions.LoggingLevel, HttpLoggingLevel.Min, LoggingLevels);

    public static HttpVersionChoice ReadHttpVersion(OptionReader reader, string option) =>
        reader.GetChoice(option, HttpVersionChoice.Http11, Versions);

    public static TlsOptions ReadTls(OptionReader reader)
    {
        var options = new TlsOptions(
            TlsOptions.SplitPaths(reader.GetString(CommonOptions.CertServer)),
            reader.GetBoolean(CommonOptions.AllowSelfSigned, false),
            NullIfBlank(reader.GetString(CommonOptions.CertClient)),
            NullIfBlank(reader.GetString(CommonOptions.KeyClient)));

        foreach (var problem in TlsConfigurator.Validate(options))
        {
            reader.AddProblem(problem.Option, $"'{problem.Value}': {problem.Message}");
        }

        return options;
    }

    public static ProxyOptions? ReadProxy(OptionReader reader, string host, string port, string username, string password)
    {
        var hostValue = NullIfBlank(reader.GetString(host));
        var portText = NullIfBlank(reader.GetString(port));
        var user = NullIfBlank(reader.GetString(username));
        var secret = reader.GetString(password);
        if (hostValue is null && portText is null)
        {
            if (user is not null || secret is not null)
            {
                reader.AddProblem(user is not null ? username : password, $"proxy credentials are set but no proxy is; set {host} and {port}.");
            }

            return null;
        }

        if (hostValue is null)
        {
            reader.AddProblem(host, $"missing proxy host; {port} is set, so set {host} too.");
            return null;
        }

        if (portText is null)
        {
            reader.AddProblem(port, $"missing proxy port; {host} is set, so set {port} too.");
            return null;
        }

        if (!int.TryParse(portText, out var portNumber) || portNumber is < 1 or > 65535)
        {
            reader.AddProblem(port, $"invalid port '{portText}'; expected a number from 1 to 65535.");
            return null;
        }

        if ((user is null) != (secret is null))
        {
            reader.AddProblem(user is null ? username : password, $"proxy credentials need both {username} and {password}.");
        }

        return new ProxyOptions(hostValue, portNumber, user, secret);
    }

    public static OidcSettings? ReadOidc(OptionReader reader)
    {
        var endpoint = NullIfBlank(reader.GetString(CommonOptions.OidcTokenEndpoint));
        var request = reader.GetString(CommonOptions.OidcTokenRequest);
        var reduction = reader.GetDuration(CommonOptions.OidcExpiryReduction, TimeSpan.FromSeconds(1), DurationUnit.Seconds);
        if (endpoint is null && request is null)
        {
            return null;
        }

        if (endpoint is null)
        {
            reader.AddProblem(CommonOptions.OidcTokenEndpoint, $"missing; {CommonOptions.OidcTokenRequest} is set, so set the token endpoint URL too.");
            return null;
        }

        if (request is null)
        {
            reader.AddProblem(CommonOptions.OidcTokenRequest, $"missing; {CommonOptions.OidcTokenEndpoint} is set, so set the form-encoded token request too.");
            return null;
        }

        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            reader.AddProblem(CommonOptions.OidcTokenEndpoint, $"invalid URL '{UrlRedaction.Redact(endpoint)}'; expected an absolute http:// or https:// URL.");
            return null;
        }

        return new OidcSettings(uri, request, reduction);
    }

    public static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
