using System.Collections.Concurrent;
using System.Net;
using Connector.Actors.Lookup;
using Connector.Actors.Options;
using Connector.Actors.Schema;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Connector.Actors.Tests.Lookup;

/// <summary>The generic-json-url query creator: URL placeholders, query parameter fields and body fields.</summary>
public sealed class JsonUrlQueryCreatorTests : LookupTestBase
{
    private static readonly RowType OrderSource = TypeParser.ParseColumns("customerId STRING, orderId STRING, region STRING");

    private static readonly LookupJoinSpec OrderJoin =
        new("c", [new("customerId", "customerId"), new("orderId", "orderId"), new("region", "region")]);

    public JsonUrlQueryCreatorTests()
    {
        Server.Given(Request.Create().UsingAnyMethod())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"msg":"order"}"""));
    }

    private Dictionary<string, string> Options(string path)
    {
        var options = BaseOptions(path);
        options["columns"] = "customerId STRING, orderId STRING, region STRING, msg STRING";
        options["http.source.lookup.query-creator"] = "generic-json-url";
        return options;
    }

    private Dictionary<string, string> PathOptions()
    {
        var options = Options("/customers/{{cid}}/orders/{oid}");
        options["http.request.url-map"] = "customerId:cid,orderId:oid";
        return options;
    }

    [Fact]
    public async Task Placeholders_FilledFromKeys()
    {
        var output = await RunAsync(PathOptions(), OrderSource, [SourceRow(OrderSource, "c1", "o1", "north")], OrderJoin);

        Assert.Equal("order", LookupRow(Assert.Single(output))["msg"]);
        var request = Assert.Single(Requests).RequestMessage;
        Assert.Equal("GET", request.Method);
        Assert.Equal(BaseUrl + "/customers/c1/orders/o1", request.Url);
        Assert.True(string.IsNullOrEmpty(request.RawQuery), $"unexpected query {request.RawQuery}");
    }

    [Fact]
    public async Task Placeholders_SlashStaysInSegment()
    {
        await RunAsync(PathOptions(), OrderSource, [SourceRow(OrderSource, "../admin", "a/b", "north")], OrderJoin);

        var request = Assert.Single(Requests).RequestMessage;
        Assert.Equal(BaseUrl + "/customers/..%2Fadmin/orders/a%2Fb", request.Url);
    }

    [Theory]
    [InlineData("c 1", "é", "/customers/c%201/orders/%C3%A9")]
    [InlineData("a+b", "x?y#z", "/customers/a%2Bb/orders/x%3Fy%23z")]
    [InlineData("a..", ".b", "/customers/a../orders/.b")]
    [InlineData("../admin", "a/b", "/customers/..%2Fadmin/orders/a%2Fb")]
    public async Task Placeholders_RawTargetEncoded(string customerId, string orderId, string rawTarget)
    {
        // WireMock shows the path after Kestrel decoded it, so the raw target is read here.
        await using var app = await RawTargetServer.StartAsync();
        var options = PathOptions();
        options["url"] = app.BaseUrl + "/customers/{{cid}}/orders/{oid}";

        var output = await RunAsync(options, OrderSource, [SourceRow(OrderSource, customerId, orderId, "north")], OrderJoin);

        Assert.Single(output);
        Assert.Equal(rawTarget, Assert.Single(app.RawTargets));
    }

    [Fact]
    public async Task Placeholders_FailureNamesSentUrl()
    {
        Server.Reset();
        Server.Given(Request.Create().UsingAnyMethod())
            .RespondWith(Response.Create().WithStatusCode(404).WithBody("no such order"));

        var failure = await Assert.ThrowsAsync<LookupFailedException>(
            () => RunAsync(PathOptions(), OrderSource, [SourceRow(OrderSource, "c1", "a/b", "north")], OrderJoin));

        var sent = BaseUrl + "/customers/c1/orders/a%2Fb";
        Assert.Equal(sent, failure.Url);
        Assert.Contains("GET " + sent, failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("NONE")]
    [InlineData("PARTIAL")]
    public async Task NullPlaceholderKey_FailsLookup(string cache)
    {
        // The lookup fails before any I/O, which must still surface as LookupFailedException.
        var options = PathOptions();
        options["lookup.cache"] = cache;

        var failure = await Assert.ThrowsAsync<LookupFailedException>(
            () => RunAsync(options, OrderSource, [SourceRow(OrderSource, null, "o1", "north")], OrderJoin));

        Assert.Contains("'customerId' is null", failure.Message, StringComparison.Ordinal);
        Assert.Empty(Requests);
    }

    [Theory]
    [InlineData("..", "o1", "customerId")]
    [InlineData("c1", ".", "orderId")]
    public async Task DotSegmentKey_FailsLookup(string customerId, string orderId, string column)
    {
        var failure = await Assert.ThrowsAsync<LookupFailedException>(
            () => RunAsync(PathOptions(), OrderSource, [SourceRow(OrderSource, customerId, orderId, "north")], OrderJoin));

        Assert.Contains($"key column '{column}'", failure.Message, StringComparison.Ordinal);
        Assert.Contains("a dot segment", failure.Message, StringComparison.Ordinal);
        Assert.IsType<LookupKeyException>(failure.InnerException);
        Assert.Empty(Requests);
    }

    [Fact]
    public async Task DotSegmentKey_ExceptionState()
    {
        var options = PathOptions();
        options["columns"] += ", state STRING METADATA FROM 'http-completion-state', err STRING METADATA FROM 'error-string'";
        options["http.source.lookup.continue-on-error"] = "true";
        Row[] rows = [SourceRow(OrderSource, "..", "o1", "north"), SourceRow(OrderSource, "c1", "o1", "north")];

        var output = await RunAsync(options, OrderSource, rows, OrderJoin);

        Assert.Equal([CompletionState.Exception, CompletionState.Success], output.Select(row => LookupRow(row)["state"]));
        Assert.Contains("a dot segment", Assert.IsType<string>(LookupRow(output[0])["err"]), StringComparison.Ordinal);
        Assert.Equal(BaseUrl + "/customers/c1/orders/o1", Assert.Single(Requests).RequestMessage.Url);
    }

    [Fact]
    public async Task QueryAndBodyFields_Post()
    {
        var options = Options("/customers/{cid}/orders");
        options["lookup-method"] = "POST";
        options["http.request.url-map"] = "customerId:cid";
        options["http.request.query-param-fields"] = "region";
        options["http.request.body-fields"] = "orderId;customerId";

        await RunAsync(options, OrderSource, [SourceRow(OrderSource, "c1", "o 1", "north east")], OrderJoin);

        var request = Assert.Single(Requests).RequestMessage;
        Assert.Equal("POST", request.Method);
        Assert.Equal("/customers/c1/orders", request.AbsolutePath);
        Assert.Equal("?region=north+east", request.RawQuery);
        Assert.Equal("""{"customerId":"c1","orderId":"o 1"}""", request.Body);
    }

    [Fact]
    public async Task QueryFields_GetSendsNoBody()
    {
        var options = Options("/orders");
        options["http.request.query-param-fields"] = "customerId;region";
        options["http.request.body-fields"] = "orderId";

        await RunAsync(options, OrderSource, [SourceRow(OrderSource, "c1", "o1", "a&b")], OrderJoin);

        var request = Assert.Single(Requests).RequestMessage;
        Assert.Equal("GET", request.Method);
        Assert.Equal("?customerId=c1&region=a%26b", request.RawQuery);
        Assert.True(string.IsNullOrEmpty(request.Body), $"GET sent a body: {request.Body}");
    }

    [Fact]
    public void UnmappedPlaceholder_Rejected()
    {
        var options = Options("/customers/{{cid}}/orders/{oid}");
        options["http.request.url-map"] = "customerId:cid";

        var error = Assert.Throws<ConfigurationException>(() => CreateSettings(options));

        var problem = Assert.Single(error.Problems);
        Assert.Equal("url", problem.Option);
        Assert.Contains("'{oid}' is not mapped", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PlaceholderWithDefaultCreator_Rejected()
    {
        var options = BaseOptions("/customers/{cid}");

        var error = Assert.Throws<ConfigurationException>(() => CreateSettings(options));

        var problem = Assert.Single(error.Problems);
        Assert.Equal("url", problem.Option);
        Assert.Contains("'{cid}' is never filled", problem.Message, StringComparison.Ordinal);
        Assert.Contains("generic-json-url", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MappingWithDefaultCreator_Rejected()
    {
        var options = BaseOptions();
        options["http.request.query-param-fields"] = "id";

        var error = Assert.Throws<ConfigurationException>(() => CreateSettings(options));

        Assert.Contains(error.Problems, p => p.Option == "http.source.lookup.query-creator");
    }

    [Fact]
    public void MappedColumnNotJoinKey_Rejected()
    {
        var join = new LookupJoinSpec("c", [new("customerId", "customerId"), new("region", "region")]);

        var error = Assert.Throws<ConfigurationException>(() => LookupJoin.Create(CreateSettings(PathOptions()), join, OrderSource));

        var problem = Assert.Single(error.Problems);
        Assert.Equal("http.request.url-map", problem.Option);
        Assert.Contains("'orderId'", problem.Message, StringComparison.Ordinal);
    }

    /// <summary>A Kestrel server on 127.0.0.1 that records each request target exactly as it arrived.</summary>
    private sealed class RawTargetServer : IAsyncDisposable
    {
        private readonly WebApplication _application;

        private RawTargetServer(WebApplication application, ConcurrentQueue<string> rawTargets)
        {
            _application = application;
            RawTargets = rawTargets;
            BaseUrl = application.Urls.Single();
        }

        public string BaseUrl { get; }

        public ConcurrentQueue<string> RawTargets { get; }

        public static async Task<RawTargetServer> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
            var application = builder.Build();
            var rawTargets = new ConcurrentQueue<string>();
            application.Run(context =>
            {
                rawTargets.Enqueue(context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget);
                return context.Response.WriteAsync("""{"msg":"order"}""");
            });
            await application.StartAsync();
            return new RawTargetServer(application, rawTargets);
        }

        public async ValueTask DisposeAsync()
        {
            await _application.StopAsync();
            await _application.DisposeAsync();
        }
    }
}
