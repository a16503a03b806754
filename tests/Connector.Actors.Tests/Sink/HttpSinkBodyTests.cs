using System.Text;
using Connector.Actors.Options;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using static Connector.Actors.Tests.Sink.SinkTestData;

namespace Connector.Actors.Tests.Sink;

/// <summary>Tests of the request bodies, methods and headers the sink sends to a WireMock server.</summary>
public sealed class HttpSinkBodyTests : IClassFixture<ActorSystemFixture>, IDisposable
{
    private const string FirstRow = """{"id":1,"first_name":"Ada","tx_date":"2021-08-24 15:22:59"}""";
    private const string SecondRow = """{"id":2,"first_name":"Bob","tx_date":"2021-08-24 15:22:59"}""";

    private readonly ActorSystemFixture _actors;
    private readonly WireMockServer _server;

    public HttpSinkBodyTests(ActorSystemFixture actors)
    {
        _actors = actors;
        _server = WireMockServer.Start();
        _server.Given(Request.Create().WithPath("/orders")).RespondWith(Response.Create().WithStatusCode(200));
    }

    public void Dispose() => _server.Stop();

    [Fact]
    public async Task Batch_BodyIsJsonArray()
    {
        using var sink = CreateSink(BaseOptions(UrlOf(_server)));

        var result = await Run(sink, [Order(1, "Ada"), Order(2, "Bob")], _actors.Materializer);

        var entry = Assert.Single(_server.LogEntries);
        Assert.Equal("POST", entry.RequestMessage.Method);
        Assert.Equal(Encoding.UTF8.GetBytes("[" + FirstRow + "," + SecondRow + "]"), entry.RequestMessage.BodyAsBytes);
        Assert.Equal("application/json; charset=utf-8", entry.RequestMessage.Headers!["Content-Type"].Single());
        Assert.Equal(2, result.Delivered);
        Assert.Equal(1, result.Requests);
    }

    [Fact]
    public async Task Single_BodyIsRowObject()
    {
        var options = BaseOptions(UrlOf(_server));
        options[SinkOptions.RequestMode] = "single";
        using var sink = CreateSink(options);

        var result = await Run(sink, [Order(1, "Ada"), Order(2, "Bob")], _actors.Materializer);

        var bodies = _server.LogEntries
            .Select(entry => entry.RequestMessage.BodyAsBytes!)
            .OrderBy(body => Ids(Encoding.UTF8.GetString(body)).Single())
            .ToArray();
        Assert.Equal(2, bodies.Length);
        Assert.Equal(Encoding.UTF8.GetBytes(FirstRow), bodies[0]);
        Assert.Equal(Encoding.UTF8.GetBytes(SecondRow), bodies[1]);
        Assert.Equal(2, result.Delivered);
        Assert.Equal(2, result.Requests);
    }

    [Theory]
    [InlineData("50", new[] { 5 })]
    [InlineData("5", new[] { 5 })]
    [InlineData("3", new[] { 3, 2 })]
    [InlineData("2", new[] { 2, 2, 1 })]
    [InlineData("1", new[] { 1, 1, 1, 1, 1 })]
    public async Task RequestBatchSize_SplitsFlush(string batchSize, int[] expectedSizes)
    {
        var options = BaseOptions(UrlOf(_server));
        options[SinkOptions.RequestBatchSize] = batchSize;
        using var sink = CreateSink(options);

        var result = await Run(sink, Orders(5), _actors.Materializer);

        var bodies = Bodies(_server);
        var sizes = bodies.Select(body => Ids(body).Length).OrderDescending().ToArray();
        Assert.Equal(expectedSizes, sizes);
        Assert.Equal([1L, 2, 3, 4, 5], bodies.SelectMany(Ids).Order().ToArray());
        Assert.All(bodies, body => Assert.StartsWith("[", body, StringComparison.Ordinal));
        Assert.Equal(5, result.Delivered);
        Assert.Equal(expectedSizes.Length, result.Requests);
    }

    [Fact]
    public async Task InsertMethod_PutSendsPut()
    {
        var options = BaseOptions(UrlOf(_server));
        options[SinkOptions.InsertMethod] = "PUT";
        using var sink = CreateSink(options);

        await Run(sink, Orders(2), _actors.Materializer);

        var entry = Assert.Single(_server.LogEntries);
        Assert.Equal("PUT", entry.RequestMessage.Method);
    }

    [Fact]
    public void InsertMethod_GetRejected()
    {
        var options = BaseOptions(UrlOf(_server));
        options[SinkOptions.InsertMethod] = "GET";

        var exception = Assert.Throws<ConfigurationException>(() => Settings(options));

        var problem = Assert.Single(exception.Problems);
        Assert.Equal(SinkOptions.InsertMethod, problem.Option);
        Assert.Contains("'GET'", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("1.1")]
    [InlineData("hello")]
    public void RequestBatchSize_InvalidRejected(string batchSize)
    {
        var options = BaseOptions(UrlOf(_server));
        options[SinkOptions.RequestBatchSize] = batchSize;

        var exception = Assert.Throws<ConfigurationException>(() => Settings(options));

        var problem = Assert.Single(exception.Problems);
        Assert.Equal(SinkOptions.RequestBatchSize, problem.Option);
        Assert.Contains(SinkOptions.RequestBatchSize, exception.Message, StringComparison.Ordinal);
        Assert.Contains($"'{batchSize}'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Header_SentOnEveryRequest()
    {
        var options = BaseOptions(UrlOf(_server));
        options[SinkOptions.HeaderPrefix + "X-Test"] = "orders-42";
        options[SinkOptions.RequestBatchSize] = "1";
        using var sink = CreateSink(options);

        await Run(sink, Orders(2), _actors.Materializer);

        Assert.Equal(2, _server.LogEntries.Count());
        Assert.All(_server.LogEntries, entry => Assert.Equal("orders-42", entry.RequestMessage.Headers!["X-Test"].Single()));
    }

    [Fact]
    public async Task Authorization_EncodedAsBasic()
    {
        var options = BaseOptions(UrlOf(_server));
        options[SinkOptions.HeaderPrefix + "Authorization"] = "user:password";
        using var sink = CreateSink(options);

        await Run(sink, Orders(1), _actors.Materializer);

        var entry = Assert.Single(_server.LogEntries);
        Assert.Equal("Basic dXNlcjpwYXNzd29yZA==", entry.RequestMessage.Headers!["Authorization"].Single());
    }

    [Fact]
    public async Task Authorization_RawSentAsConfigured()
    {
        var options = BaseOptions(UrlOf(_server));
        options[SinkOptions.HeaderPrefix + "Authorization"] = "user:password";
        options[SinkOptions.UseRawAuthorizationHeader] = "true";
        using var sink = CreateSink(options);

        await Run(sink, Orders(1), _actors.Materializer);

        var entry = Assert.Single(_server.LogEntries);
        Assert.Equal("user:password", entry.RequestMessage.Headers!["Authorization"].Single());
    }
}
