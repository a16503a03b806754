using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Connector.Actors.Tests.Lookup;

/// <summary>How response status codes decide between a result, no result and a failure.</summary>
public sealed class StatusCodeTests : LookupTestBase
{
    private void RespondWith(string id, int status, string body = """{"msg":"body"}""") =>
        Server.Given(Request.Create().UsingGet().WithParam("id", id))
            .RespondWith(Response.Create().WithStatusCode(status).WithBody(body));

    [Theory]
    [InlineData(200)]
    [InlineData(201)]
    [InlineData(203)]
    [InlineData(299)]
    public async Task Default_2xxSucceeds(int status)
    {
        RespondWith("1", status);

        var output = await LookupAsync(BaseOptions(), "1");

        Assert.Equal("body", LookupRow(Assert.Single(output))["msg"]);
    }

    [Fact]
    public async Task NotSuccess_FailsWithDetails()
    {
        RespondWith("1", 404, """{"error":"no such customer"}""");

        var failure = await LookupFailureAsync(BaseOptions());

        var url = BaseUrl + "/customers?id=1";
        Assert.Contains("'customers'", failure.Message, StringComparison.Ordinal);
        Assert.Contains("GET " + url, failure.Message, StringComparison.Ordinal);
        Assert.Contains("404", failure.Message, StringComparison.Ordinal);
        Assert.Contains("no such customer", failure.Message, StringComparison.Ordinal);
        Assert.Equal("customers", failure.Table);
        Assert.Equal("GET", failure.Method);
        Assert.Equal(url, failure.Url);
        Assert.Equal(404, failure.StatusCode);
        Assert.Single(Requests);
    }

    [Fact]
    public async Task NotSuccess_UrlWithoutCredentials()
    {
        RespondWith("1", 500, "failed");
        var options = BaseOptions("/customers?api_token=s3cret&tenant=t1");
        options["url"] = options["url"].Replace("http://", "http://user:pa55@", StringComparison.Ordinal);
        options["lookup.max-retries"] = "0";

        var failure = await LookupFailureAsync(options);

        var redacted = BaseUrl + "/customers?api_token=***&tenant=t1&id=1";
        Assert.Equal(redacted, failure.Url);
        Assert.Contains(redacted, failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pa55", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotSuccess_LongBodyExcerpted()
    {
        var body = new string('x', 150) + new string('y', 500);
        RespondWith("1", 400, body);

        var failure = await LookupFailureAsync(BaseOptions());

        Assert.Contains(new string('x', 150), failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('y', 100), failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ignored_YieldsNoRow()
    {
        RespondWith("1", 404, "not json at all");
        var options = BaseOptions();
        options["http.source.lookup.ignored-response-codes"] = "404";

        var output = await LookupAsync(options, "1");

        Assert.Empty(output);
        Assert.Single(Requests);
    }

    [Fact]
    public async Task Grammar_ClassPlusCodeMinusExclusion()
    {
        RespondWith("ok", 200);
        RespondWith("missing", 404);
        RespondWith("partial", 203);
        var options = BaseOptions();
        options["http.source.lookup.success-codes"] = "2XX,404,!203";

        var output = await LookupAsync(options, "ok", "missing");
        var failure = await LookupFailureAsync(options, "partial");

        Assert.Equal(["ok", "missing"], output.Select(row => row["id"]));
        Assert.Equal(203, failure.StatusCode);
        Assert.Contains("not a success code", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LegacyErrorCode_FailsSuccessStatus()
    {
        RespondWith("1", 202);
        RespondWith("2", 200);
        var options = BaseOptions();
        options["http.source.lookup.success-codes"] = "2XX";
        options["lookup.error.code"] = "202";

        var failure = await LookupFailureAsync(options, "1");
        var output = await LookupAsync(options, "2");

        Assert.Equal(202, failure.StatusCode);
        Assert.Contains("returned status 202, which is not a success code", failure.Message, StringComparison.Ordinal);
        Assert.Equal("body", LookupRow(Assert.Single(output))["msg"]);
    }

    [Fact]
    public async Task LegacyErrorCodeExclude_UndoesError()
    {
        RespondWith("1", 202);
        var options = BaseOptions();
        options["http.source.lookup.success-codes"] = "2XX";
        options["lookup.error.code"] = "202";
        options["lookup.error.code.exclude"] = "202";

        var output = await LookupAsync(options, "1");

        Assert.Equal("body", LookupRow(Assert.Single(output))["msg"]);
        Assert.Single(Requests);
    }

    [Fact]
    public async Task ClosedConnection_ReasonInMessage()
    {
        // The server reads each request and closes the connection without a response.
        using var server = Connector.Actors.Tests.Http.RawHttpServer.Start([]);
        var options = BaseOptions();
        options["url"] = $"http://127.0.0.1:{server.Port}/customers";
        options["lookup.max-retries"] = "0";

        var failure = await LookupFailureAsync(options);

        Assert.True(server.Requests >= 1);
        Assert.Contains("got no response after 1 attempt(s): An error occurred while sending the request: ", failure.Message, StringComparison.Ordinal);
        Assert.Contains("The response ended prematurely", failure.Message, StringComparison.Ordinal);
    }
}
