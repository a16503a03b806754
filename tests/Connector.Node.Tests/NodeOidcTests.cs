using System.Text;
using Connector.Node.Tests.Support;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace Connector.Node.Tests;

/// <summary>
/// Node runs with OIDC tables against a WireMock server on 127.0.0.1 that is both the token endpoint and the data
/// endpoint: validation sends no request, and secrets stay out of the node's output at Trace level.
/// </summary>
[Collection(NodeProcessCollection.Name)]
public sealed class NodeOidcTests : IDisposable
{
    private const string BasicCredentials = "user:S3cret-Basic";
    private const string TokenRequestBody = "grant_type=client_credentials&client_id=node-app&client_secret=S3cret-Request";
    private const string AccessToken = "S3cret-Token";
    private const string CookieValue = "session=S3cret-Cookie";
    private const string ProxyPassword = "S3cret-Proxy";

    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);

    private readonly WireMockServer _server = WireMockServer.Start(new WireMockServerSettings { Urls = ["http://127.0.0.1:0"] });
    private readonly TempFolder _folder = new();

    public NodeOidcTests()
    {
        _server.Given(Request.Create().WithPath("/oauth/token").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody($$"""{"access_token":"{{AccessToken}}","expires_in":3600}"""));
        _server.Given(Request.Create().WithPath("/failing-token").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(500).WithBody("invalid request: " + TokenRequestBody));
        _server.Given(Request.Create().WithPath("/customers").UsingGet())
            .AtPriority(100)
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"msg":"found"}"""));
        _server.Given(Request.Create().WithPath("/customers").WithParam("id", "3"))
            .AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(500).WithBody("backend down"));
        _server.Given(Request.Create().WithPath("/orders").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200));
    }

    private string BaseUrl => $"http://127.0.0.1:{_server.Port}";

    public void Dispose()
    {
        _server.Stop();
        _server.Dispose();
        _folder.Dispose();
    }

    /// <summary>Returns the HOCON options that give a table OIDC, a Basic Authorization header, a cookie and MAX logging.</summary>
    private string SecretOptions(string headerPrefix, string tokenPath = "/oauth/token") => $$"""
        "{{headerPrefix}}Authorization" = "{{BasicCredentials}}"
        "{{headerPrefix}}Cookie" = "{{CookieValue}}"
        "http.security.oidc.token.endpoint.url" = "{{BaseUrl}}{{tokenPath}}"
        "http.security.oidc.token.request" = "{{TokenRequestBody}}"
        "http.logging.level" = MAX
        """;

    private string[] SentHeaders(string path, string name) =>
        _server.LogEntries
            .Where(entry => entry.RequestMessage.Path == path)
            .Select(entry => Assert.Single(entry.RequestMessage.Headers![name]))
            .ToArray();

    [Fact]
    public async Task Validate_SendsNoTokenRequest()
    {
        var config = _folder.Write("validate.conf", $$"""
            httpactors.tables {
              orders { connector = datagen, columns = "id STRING", number-of-rows = 3 }
              customers {
                connector = rest-lookup
                url = "{{BaseUrl}}/customers"
                columns = "id STRING, msg STRING"
                {{SecretOptions("http.source.lookup.header.")}}
              }
              out {
                connector = http-sink
                url = "{{BaseUrl}}/orders"
                {{SecretOptions("http.sink.header.")}}
              }
            }
            httpactors.pipelines.p { from = orders, lookups = [ { table = customers, on { id = id } } ], to = out }
            """);

        var (exitCode, node) = await NodeProcess.RunAsync(_folder.Path, RunTimeout, "validate", config);
        using (node)
        {
            Assert.True(exitCode == 0, node.Error);
            Assert.Contains("Configuration is valid: 1 pipeline(s).", node.Output);
            Assert.Empty(_server.LogEntries);
        }
    }

    [Fact]
    public async Task Run_TraceOutput_HasNoSecrets()
    {
        var config = _folder.Write("secrets.conf", $$"""
            httpactors.node {
              log-level = Trace
              progress-interval = 100ms
            }
            httpactors.tables {
              orders {
                connector = datagen
                columns = "id STRING"
                number-of-rows = 20
                rows-per-second = 25
                fields.id.kind = sequence
                fields.id.start = 1
                fields.id.end = 20
              }
              one-order { connector = datagen, columns = "id STRING", number-of-rows = 1, fields.id.kind = sequence, fields.id.start = 1, fields.id.end = 1 }
              customers {
                connector = rest-lookup
                url = "{{BaseUrl}}/customers"
                columns = "id STRING, msg STRING"
                "http.source.lookup.continue-on-error" = true
                "http.source.lookup.retry-strategy.fixed-delay.delay" = 10ms
                {{SecretOptions("http.source.lookup.header.")}}
              }
              customers-failing-token {
                connector = rest-lookup
                url = "{{BaseUrl}}/customers"
                columns = "id STRING, msg STRING"
                "http.source.lookup.retry-strategy.fixed-delay.delay" = 10ms
                {{SecretOptions("http.source.lookup.header.", "/failing-token")}}
              }
              out {
                connector = http-sink
                url = "{{BaseUrl}}/orders"
                "sink.batch.max-size" = 5
                "sink.flush-buffer.timeout" = 100ms
                {{SecretOptions("http.sink.header.")}}
              }
              out-behind-proxy {
                connector = http-sink
                url = "{{BaseUrl}}/orders"
                "http.sink.proxy.host" = "127.0.0.1"
                "http.sink.proxy.port" = {{LoopbackPort.Closed()}}
                "http.sink.proxy.username" = proxy-user
                "http.sink.proxy.password" = "{{ProxyPassword}}"
                {{SecretOptions("http.sink.header.")}}
              }
              discard { connector = blackhole }
            }
            httpactors.pipelines {
              enrich { from = orders, lookups = [ { table = customers, on { id = id } } ], to = out }
              failing-token { from = one-order, lookups = [ { table = customers-failing-token, on { id = id } } ], to = discard }
              proxied { from = one-order, to = out-behind-proxy }
            }
            """);

        var (exitCode, node) = await NodeProcess.RunAsync(_folder.Path, RunTimeout, "run", config);
        using (node)
        {
            Assert.True(exitCode == 1, node.Error);
            Assert.NotEmpty(SentHeaders("/orders", "Authorization"));
            Assert.All(SentHeaders("/customers", "Authorization"), value => Assert.Equal("Bearer " + AccessToken, value));
            Assert.All(SentHeaders("/orders", "Authorization"), value => Assert.Equal("Bearer " + AccessToken, value));
            Assert.All(SentHeaders("/orders", "Cookie"), value => Assert.Equal(CookieValue, value));
            Assert.True(node.Error.Contains("delivered 19"), node.Error);
            Assert.Contains("Pipeline enrich progress", node.Error);
            Assert.Contains("Pipeline enrich completed", node.Error);
            Assert.Contains("Pipeline failing-token failed", node.Error);
            Assert.Contains("returned status 500", node.Error);
            Assert.Contains("Pipeline proxied failed", node.Error);
            Assert.Contains("lookup failed and continue-on-error is set", node.Error);
            Assert.Contains("Authorization:[***]", node.Error);
            Assert.Contains("Cookie:[***]", node.Error);
            foreach (var secret in new[] { "S3cret", Convert.ToBase64String(Encoding.UTF8.GetBytes(BasicCredentials)) })
            {
                Assert.DoesNotContain(secret, node.Error, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(secret, node.Output, StringComparison.OrdinalIgnoreCase);
            }
        }
    }
}
