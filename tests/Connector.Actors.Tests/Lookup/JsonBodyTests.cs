using Connector.Actors.Lookup;
using Connector.Actors.Schema;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Connector.Actors.Tests.Lookup;

/// <summary>
/// Lookup request bodies: methods other than GET send the key columns as a JSON body, and GET sends none.
/// </summary>
public sealed class JsonBodyTests : LookupTestBase
{
    public JsonBodyTests()
    {
        Server.Given(Request.Create().UsingAnyMethod())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"msg":"found"}"""));
    }

    [Theory]
    [InlineData("post", "POST")]
    [InlineData("POST", "POST")]
    [InlineData("Put", "PUT")]
    [InlineData("PATCH", "PATCH")]
    [InlineData("delete", "DELETE")]
    public async Task Body_KeyColumnsExactly(string configured, string sent)
    {
        var options = BaseOptions();
        options["lookup-method"] = configured;
        options["columns"] = "id STRING, id2 STRING, msg STRING";
        var source = TypeParser.ParseColumns("id STRING, id2 STRING, other STRING");
        var join = new LookupJoinSpec("c", [new("id", "id"), new("id2", "id2")]);

        var output = await RunAsync(options, source, [SourceRow(source, "1", "2", "not a key")], join);

        Assert.Equal("found", LookupRow(Assert.Single(output))["msg"]);
        var request = Assert.Single(Requests).RequestMessage;
        Assert.Equal(sent, request.Method);
        Assert.Equal("""{"id":"1","id2":"2"}""", request.Body);
        Assert.True(string.IsNullOrEmpty(request.RawQuery), $"unexpected query {request.RawQuery}");
    }

    [Fact]
    public async Task Body_ContentTypeJson()
    {
        var options = BaseOptions();
        options["lookup-method"] = "post";

        await LookupAsync(options, "1");

        var request = Assert.Single(Requests).RequestMessage;
        var contentType = Assert.Single(request.Headers!["Content-Type"]);
        Assert.StartsWith("application/json", contentType, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Body_NestedRowAsObject()
    {
        var options = BaseOptions();
        options["lookup-method"] = "PUT";
        options["columns"] = "id INT, addr ROW<city STRING, zip STRING>, msg STRING";
        var source = TypeParser.ParseColumns("id INT, addr ROW<city STRING, zip STRING>");
        var address = new Row(source[1].Type.RowType!, ["Paris", null]);
        var join = new LookupJoinSpec("c", [new("addr", "addr"), new("id", "id")]);

        await RunAsync(options, source, [SourceRow(source, 7, address)], join);

        var request = Assert.Single(Requests).RequestMessage;
        Assert.Equal("PUT", request.Method);
        Assert.Equal("""{"id":7,"addr":{"city":"Paris","zip":null}}""", request.Body);
    }

    [Fact]
    public async Task Get_SendsNoBody()
    {
        // WireMock does not read GET bodies, so Kestrel records what was actually sent.
        await using var server = await RecordingKestrelServer.StartAsync(HttpProtocols.Http1);
        var options = BaseOptions();
        options["url"] = server.BaseUrl + "/customers";
        options["lookup-method"] = "get";

        var output = await LookupAsync(options, "1");

        Assert.Equal("found", LookupRow(Assert.Single(output))["msg"]);
        var request = Assert.Single(server.Requests);
        Assert.Equal("GET", request.Method);
        Assert.Equal(string.Empty, request.Body);
        Assert.False(request.Headers.ContainsKey("Content-Length"), "a GET request carried Content-Length");
        Assert.False(request.Headers.ContainsKey("Content-Type"), "a GET request carried Content-Type");
        Assert.False(request.Headers.ContainsKey("Transfer-Encoding"), "a GET request carried Transfer-Encoding");
    }

    [Fact]
    public async Task RedirectToGet_FailsLookup()
    {
        var moved = $"{BaseUrl}/moved";
        Server.Given(Request.Create().WithPath("/customers").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(302).WithHeader("Location", moved));
        Server.Given(Request.Create().WithPath("/moved").UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"msg":"wrong"}"""));
        var options = BaseOptions();
        options["lookup-method"] = "POST";

        var failure = await LookupFailureAsync(options);

        Assert.Contains($"POST {BaseUrl}/customers was redirected to {moved}", failure.Message, StringComparison.Ordinal);
        Assert.Contains("as GET without the request body", failure.Message, StringComparison.Ordinal);
        Assert.Equal(2, Requests.Count);
    }
}
