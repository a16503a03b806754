using Connector.Actors.Tests.Support;
using System.Globalization;
using System.Text;
using Akka.Streams;
using Akka.Streams.Dsl;
using Connector.Actors.Lookup;
using Connector.Actors.Options;
using Connector.Actors.Schema;
using Connector.Actors.Sink;
using Connector.Actors.Tests.Lookup;
using Microsoft.Extensions.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Connector.Actors.Tests.Auth;

/// <summary>
/// Runs lookups and sinks configured with known secret values at <c>http.logging.level = MAX</c>, with every log
/// entry captured at Trace level, and checks that no secret reaches a log entry or an exception.
/// </summary>
public sealed class SecretLoggingTests : LookupTestBase
{
    private const string BasicCredentials = "user:S3cret-Basic";
    private const string TokenRequestBody = "grant_type=client_credentials&client_id=app&client_secret=S3cret-Request";
    private const string AccessToken = "S3cret-Token";
    private const string CookieValue = "session=S3cret-Cookie";
    private const string ProxyPassword = "S3cret-Proxy";
    private const string ApiKey = "S3cret-ApiKey";
    private const string PrivateKey = "S3cret-PrivateKey";

    private static readonly RowType OrderType = TypeParser.ParseColumns("id BIGINT, name STRING");

    private readonly CapturingLoggerProvider _logs = new();
    private readonly ILoggerFactory _loggerFactory;

    public SecretLoggingTests()
    {
        _loggerFactory = _logs.CreateFactory();
        Server.Given(Request.Create().WithPath("/customers").UsingGet())
            .AtPriority(100)
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"msg":"found"}"""));
        Server.Given(Request.Create().WithPath("/customers").WithParam("id", "3"))
            .AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(500).WithBody("backend down"));
        Server.Given(Request.Create().WithPath("/orders").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200));
        Server.Given(Request.Create().WithPath("/failing-orders").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(500).WithBody("backend down"));
    }

    /// <summary>Every secret value, and the Base64 form in which the Basic rule sends the credentials.</summary>
    private static string[] Secrets { get; } =
        ["S3cret", Convert.ToBase64String(Encoding.UTF8.GetBytes(BasicCredentials))];

    private static void AssertNoSecret(IEnumerable<string> texts)
    {
        foreach (var text in texts)
        {
            foreach (var secret in Secrets)
            {
                Assert.DoesNotContain(secret, text, StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    private Dictionary<string, string> LookupTableOptions(string tokenUrl)
    {
        var options = BaseOptions();
        options["http.source.lookup.header.Authorization"] = BasicCredentials;
        options["http.source.lookup.header.Cookie"] = CookieValue;
        options["http.source.lookup.header.X-Api_Key"] = ApiKey;
        options["http.source.lookup.header.Private-Key"] = PrivateKey;
        options[CommonOptions.OidcTokenEndpoint] = tokenUrl;
        options[CommonOptions.OidcTokenRequest] = TokenRequestBody;
        options[CommonOptions.LoggingLevel] = "MAX";
        return options;
    }

    private Dictionary<string, string> SinkTableOptions(string tokenUrl, string path = "/orders") => new()
    {
        [CommonOptions.Connector] = SinkOptions.ConnectorId,
        [CommonOptions.Url] = BaseUrl + path,
        [SinkOptions.FixedDelay] = "10ms",
        [SinkOptions.HeaderPrefix + "Authorization"] = BasicCredentials,
        [SinkOptions.HeaderPrefix + "Cookie"] = CookieValue,
        [SinkOptions.HeaderPrefix + "X-Api_Key"] = ApiKey,
        [SinkOptions.HeaderPrefix + "Private-Key"] = PrivateKey,
        [CommonOptions.OidcTokenEndpoint] = tokenUrl,
        [CommonOptions.OidcTokenRequest] = TokenRequestBody,
        [CommonOptions.LoggingLevel] = "MAX",
    };

    private static Dictionary<string, string> WithClosedProxy(Dictionary<string, string> options, string prefix)
    {
        options[prefix + "proxy.host"] = "127.0.0.1";
        options[prefix + "proxy.port"] = ClosedPort().ToString(CultureInfo.InvariantCulture);
        options[prefix + "proxy.username"] = "proxy-user";
        options[prefix + "proxy.password"] = ProxyPassword;
        return options;
    }

    private Task<IReadOnlyList<Row>> RunLookupAsync(Dictionary<string, string> options, params string[] ids) =>
        RunAsync(options, IdSource, ids.Select(id => SourceRow(IdSource, id)), IdJoin, new LookupJoinOptions { LoggerFactory = _loggerFactory });

    private async Task<SinkResult> RunSinkAsync(Dictionary<string, string> options, int rows)
    {
        var settings = SinkSettings.Create(TableOptions.FromDictionary("orders", options));
        using var sink = HttpSink.Create(settings, new HttpSinkOptions { LoggerFactory = _loggerFactory });
        return await Source.From(Enumerable.Range(1, rows).Select(i => new Row(OrderType, [(long)i, "Ada"])))
            .RunWith(sink.Sink, Sys.Materializer())
            .WaitAsync(StreamTimeout);
    }

    private string[] DataRequestHeaders(string path, string name) =>
        Requests.Where(entry => entry.RequestMessage.Path == path)
            .Select(entry => Assert.Single(entry.RequestMessage.Headers![name]))
            .ToArray();

    [Fact]
    public async Task Lookup_SecretsNotLogged()
    {
        await using var tokens = await TokenServer.StartAsync(_ => TokenResponse.Token(AccessToken, 3600));
        var options = LookupTableOptions(tokens.Url);
        options["http.source.lookup.continue-on-error"] = "true";

        var rows = await RunLookupAsync(options, "1", "2", "3");

        Assert.Equal(2, rows.Count);
        Assert.All(DataRequestHeaders("/customers", "Authorization"), value => Assert.Equal("Bearer " + AccessToken, value));
        Assert.All(DataRequestHeaders("/customers", "Cookie"), value => Assert.Equal(CookieValue, value));
        Assert.All(DataRequestHeaders("/customers", "X-Api_Key"), value => Assert.Equal(ApiKey, value));
        Assert.All(DataRequestHeaders("/customers", "Private-Key"), value => Assert.Equal(PrivateKey, value));
        var logs = _logs.Lines;
        Assert.Contains(logs, line => line.Contains("Authorization:[***]", StringComparison.Ordinal));
        Assert.Contains(logs, line => line.Contains("Cookie:[***]", StringComparison.Ordinal));
        Assert.Contains(logs, line => line.Contains("X-Api_Key:[***]", StringComparison.Ordinal));
        Assert.Contains(logs, line => line.Contains("Private-Key:[***]", StringComparison.Ordinal));
        Assert.Contains(logs, line => line.Contains("lookup failed and continue-on-error is set", StringComparison.Ordinal));
        AssertNoSecret(logs);
    }

    [Fact]
    public async Task LookupFailures_SecretsNotInLogsOrErrors()
    {
        await using var tokens = await TokenServer.StartAsync(_ => new TokenResponse(500, "invalid request: " + TokenRequestBody, "text/plain"));

        var tokenFailure = await Assert.ThrowsAsync<LookupFailedException>(() => RunLookupAsync(LookupTableOptions(tokens.Url), "1"));
        var proxyFailure = await Assert.ThrowsAsync<LookupFailedException>(
            () => RunLookupAsync(WithClosedProxy(LookupTableOptions(tokens.Url), "http.source.lookup."), "1"));

        Assert.Contains("returned status 500", tokenFailure.Message);
        Assert.Contains("OIDC token request", proxyFailure.Message);
        AssertNoSecret([tokenFailure.ToString(), proxyFailure.ToString()]);
        AssertNoSecret(_logs.Lines);
    }

    [Fact]
    public async Task Sink_SecretsNotLogged()
    {
        await using var tokens = await TokenServer.StartAsync(_ => TokenResponse.Token(AccessToken, 3600));
        var dropping = SinkTableOptions(tokens.Url, "/failing-orders");
        dropping[SinkOptions.OnFailure] = "drop";

        var delivered = await RunSinkAsync(SinkTableOptions(tokens.Url), 5);
        var dropped = await RunSinkAsync(dropping, 5);

        Assert.Equal(5, delivered.Delivered);
        Assert.Equal(5, dropped.Dropped);
        Assert.All(DataRequestHeaders("/orders", "Authorization"), value => Assert.Equal("Bearer " + AccessToken, value));
        Assert.All(DataRequestHeaders("/orders", "Cookie"), value => Assert.Equal(CookieValue, value));
        Assert.All(DataRequestHeaders("/orders", "X-Api_Key"), value => Assert.Equal(ApiKey, value));
        Assert.All(DataRequestHeaders("/orders", "Private-Key"), value => Assert.Equal(PrivateKey, value));
        var logs = _logs.Lines;
        Assert.Contains(logs, line => line.Contains("Authorization:[***]", StringComparison.Ordinal));
        Assert.Contains(logs, line => line.Contains("Cookie:[***]", StringComparison.Ordinal));
        Assert.Contains(logs, line => line.Contains("X-Api_Key:[***]", StringComparison.Ordinal));
        Assert.Contains(logs, line => line.Contains("Private-Key:[***]", StringComparison.Ordinal));
        Assert.Contains(logs, line => line.Contains("row(s) dropped", StringComparison.Ordinal));
        AssertNoSecret(logs);
    }

    [Fact]
    public async Task SinkFailures_SecretsNotInLogsOrErrors()
    {
        await using var tokens = await TokenServer.StartAsync(_ => new TokenResponse(500, "invalid request: " + TokenRequestBody, "text/plain"));

        var tokenFailure = await Assert.ThrowsAsync<SinkFailedException>(() => RunSinkAsync(SinkTableOptions(tokens.Url), 3));
        var proxyFailure = await Assert.ThrowsAsync<SinkFailedException>(
            () => RunSinkAsync(WithClosedProxy(SinkTableOptions(tokens.Url), "http.sink."), 3));

        Assert.Contains("returned status 500", tokenFailure.Message);
        Assert.Contains("OIDC token request", proxyFailure.Message);
        AssertNoSecret([tokenFailure.ToString(), proxyFailure.ToString()]);
        AssertNoSecret(_logs.Lines);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _loggerFactory.Dispose();
        }

        base.Dispose(disposing);
    }
}
