using System.Net.Http.Headers;
using System.Text;
using Connector.Actors.Options;
using Microsoft.Extensions.Logging;

namespace Connector.Actors.Http;

/// <summary>
/// Debug logging of requests and responses at the table's <c>http.logging.level</c>. Header values appear only at
/// MAX, and credential headers are redacted at every level.
/// </summary>
internal sealed partial class HttpExchangeLogger
{
    private const int MaxLoggedBodyChars = 2048;

    private readonly ILogger _logger;
    private readonly HttpLoggingLevel _level;
    private readonly string _table;

    public HttpExchangeLogger(ILogger logger, HttpLoggingLevel level, string table)
    {
        _logger = logger;
        _level = level;
        _table = table;
    }

    public void Request(HttpRequestMessage request, ReadOnlyMemory<byte>? body)
    {
        if (!_logger.IsEnabled(LogLevel.Debug))
        {
            return;
        }

        LogRequest(
            _logger,
            _table,
            request.Method.Method,
            UrlRedaction.Redact(request.RequestUri!),
            FormatHeaders(request.Headers, request.Content?.Headers),
            _level >= HttpLoggingLevel.ReqResp && body is { } bytes ? Truncate(Encoding.UTF8.GetString(bytes.Span)) : "***");
    }

    public void Response(HttpRequestMessage request, HttpResponseMessage response, byte[] body)
    {
        if (!_logger.IsEnabled(LogLevel.Debug))
        {
            return;
        }

        LogResponse(
            _logger,
            _table,
            request.Method.Method,
            UrlRedaction.Redact(request.RequestUri!),
            (int)response.StatusCode,
            FormatHeaders(response.Headers, response.Content.Headers),
            _level >= HttpLoggingLevel.ReqResp ? Truncate(Encoding.UTF8.GetString(body)) : "***");
    }

    public void UnreadableBody(HttpRequestMessage request, int statusCode, Exception exception)
    {
        LogUnreadableBody(_logger, _table, request.Method.Method, UrlRedaction.Redact(request.RequestUri!), statusCode, exception.Message);
    }

    public void Retry(int retryNumber, TimeSpan delay, int? statusCode, Exception? exception)
    {
        if (exception is null)
        {
            LogRetryStatus(_logger, _table, retryNumber, statusCode ?? 0, delay.TotalMilliseconds);
        }
        else
        {
            LogRetryException(_logger, _table, retryNumber, exception.GetType().Name, exception.Message, delay.TotalMilliseconds);
        }
    }

    private string FormatHeaders(HttpHeaders headers, HttpHeaders? contentHeaders)
    {
        if (_level < HttpLoggingLevel.Max)
        {
            return "***";
        }

        var all = contentHeaders is null ? headers : headers.Concat(contentHeaders);
        var text = string.Join(
            ";",
            all.Select(h => $"{h.Key}:[{(SecretNames.IsSecretHeader(h.Key) ? "***" : string.Join(";", h.Value))}]"));
        return text.Length == 0 ? "None" : text;
    }

    private static string Truncate(string text)
    {
        if (text.Length == 0)
        {
            return "None";
        }

        return text.Length <= MaxLoggedBodyChars ? text : text[..MaxLoggedBodyChars] + "...";
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Table}: HTTP {Method} request to {Url}, headers {Headers}, body {Body}")]
    private static partial void LogRequest(ILogger logger, string table, string method, string url, string headers, string body);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Table}: HTTP {Method} response from {Url}, status {Status}, headers {Headers}, body {Body}")]
    private static partial void LogResponse(ILogger logger, string table, string method, string url, int status, string headers, string body);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Table}: HTTP {Method} response from {Url} has status {Status}, but its body could not be read, so it is taken as empty: {ErrorMessage}")]
    private static partial void LogUnreadableBody(ILogger logger, string table, string method, string url, int status, string errorMessage);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Table}: retry {RetryNumber} after status {Status}, waiting {DelayMs} ms")]
    private static partial void LogRetryStatus(ILogger logger, string table, int retryNumber, int status, double delayMs);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Table}: retry {RetryNumber} after {ErrorType}: {ErrorMessage}, waiting {DelayMs} ms")]
    private static partial void LogRetryException(ILogger logger, string table, int retryNumber, string errorType, string errorMessage, double delayMs);
}
