using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Akka.Actor;
using Connector.Actors.Cluster;
using Connector.Actors.Lookup;
using Connector.Actors.Options;
using Connector.Actors.Schema;
using Connector.Actors.Sink;
using Connector.Actors.Tests.Lookup;
using Microsoft.Extensions.Time.Testing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using static Connector.Actors.Cluster.EndpointProtocol;

namespace Connector.Actors.Tests.Auth;

/// <summary>
/// OIDC bearer tokens of a lookup table, against a token endpoint on Kestrel and a data endpoint on WireMock:
/// the token request, caching, expiry, the 401 refetch and token errors.
/// </summary>
public sealed class OidcLookupTests : LookupTestBase
{
    private const string UnsendableToken = "returned an access_token that cannot be sent in an Authorization header because it contains ";
    private const string TokenRequestBody = "grant_type=client_credentials&client_id=lookup-app&client_secret=S3cret-Request";

    public OidcLookupTests()
    {
        Server.Given(Request.Create().WithPath("/customers").UsingGet())
            .AtPriority(100)
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"msg":"found"}"""));
    }

    /// <summary>The Authorization header of every data request, in arrival order.</summary>
    private string[] SentAuthorizations() =>
        Requests.Select(entry => Assert.Single(entry.RequestMessage.Headers!["Authorization"])).ToArray();

    private Dictionary<string, string> OidcOptions(TokenServer tokens)
    {
        var options = BaseOptions();
        options[CommonOptions.OidcTokenEndpoint] = tokens.Url;
        options[CommonOptions.OidcTokenRequest] = TokenRequestBody;
        return options;
    }

    private static Row[] IdRows(IEnumerable<string> ids) => ids.Select(id => SourceRow(IdSource, id)).ToArray();

    private static string[] Ids(int count) =>
        Enumerable.Range(1, count).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();

    [Fact]
    public async Task TokenRequest_PostsFormBodyAsIs()
    {
        await using var tokens = await TokenServer.StartNumberedAsync(expiresIn: 3600);

        await LookupAsync(OidcOptions(tokens), "1");

        var request = Assert.Single(tokens.Requests);
        Assert.Equal("POST", request.Method);
        Assert.StartsWith("application/x-www-form-urlencoded", request.ContentType);
        Assert.Equal(TokenRequestBody, request.Body);
    }

    [Fact]
    public async Task Bearer_ReplacesConfiguredAuthorization()
    {
        await using var tokens = await TokenServer.StartNumberedAsync(expiresIn: 3600);
        var options = OidcOptions(tokens);
        options["http.source.lookup.header.Authorization"] = "user:password";

        var rows = await LookupAsync(options, "1");

        Assert.Single(rows);
        Assert.Equal(["Bearer token-1"], SentAuthorizations());
    }

    [Fact]
    public async Task Token_SharedByThousandLookups()
    {
        await using var tokens = await TokenServer.StartNumberedAsync(expiresIn: 3600);
        var time = new FakeTimeProvider();

        var rows = await RunAsync(OidcOptions(tokens), IdSource, IdRows(Ids(1000)), IdJoin, new LookupJoinOptions { TimeProvider = time });

        Assert.Equal(1000, rows.Count);
        Assert.Equal(1, tokens.Count);
        var authorizations = SentAuthorizations();
        Assert.Equal(1000, authorizations.Length);
        Assert.All(authorizations, value => Assert.Equal("Bearer token-1", value));
    }

    [Fact]
    public async Task ConcurrentRequests_WaitForOneFetch()
    {
        await using var tokens = await TokenServer.StartNumberedAsync(expiresIn: 3600, delay: TimeSpan.FromMilliseconds(300));
        var options = OidcOptions(tokens);
        options[LookupOptions.RequestThreadPoolSize] = "8";

        var rows = await RunAsync(options, IdSource, IdRows(Ids(16)), IdJoin, new LookupJoinOptions { TimeProvider = new FakeTimeProvider() });

        Assert.Equal(16, rows.Count);
        Assert.Equal(1, tokens.Count);
        Assert.All(SentAuthorizations(), value => Assert.Equal("Bearer token-1", value));
    }

    [Theory]
    [InlineData(60, "5s", 55)]
    [InlineData("60", "5s", 55)]
    [InlineData(60, null, 59)]
    public async Task Expiry_RefetchesAfterLifetimeMinusReduction(object expiresIn, string? reduction, double usableSeconds)
    {
        await using var tokens = await TokenServer.StartNumberedAsync(expiresIn);
        var time = new FakeTimeProvider();
        var options = OidcOptions(tokens);
        if (reduction is not null)
        {
            options[CommonOptions.OidcExpiryReduction] = reduction;
        }

        using var join = LookupJoin.Create(CreateSettings(options), IdJoin, IdSource, new LookupJoinOptions { TimeProvider = time });

        await RunAsync(join, IdRows(["1"]));
        time.Advance(TimeSpan.FromSeconds(usableSeconds - 0.1));
        await RunAsync(join, IdRows(["2"]));
        var countBeforeExpiry = tokens.Count;
        time.Advance(TimeSpan.FromSeconds(0.2));
        await RunAsync(join, IdRows(["3"]));

        Assert.Equal(1, countBeforeExpiry);
        Assert.Equal(2, tokens.Count);
        Assert.Equal(["Bearer token-1", "Bearer token-1", "Bearer token-2"], SentAuthorizations());
    }

    [Fact]
    public async Task NoExpiresIn_FetchesTokenPerRequest()
    {
        await using var tokens = await TokenServer.StartNumberedAsync(expiresIn: null);
        var options = OidcOptions(tokens);
        options[LookupOptions.RequestThreadPoolSize] = "1";

        await RunAsync(options, IdSource, IdRows(Ids(3)), IdJoin, new LookupJoinOptions { TimeProvider = new FakeTimeProvider() });

        Assert.Equal(3, tokens.Count);
        Assert.Equal(["Bearer token-1", "Bearer token-2", "Bearer token-3"], SentAuthorizations());
    }

    [Fact]
    public async Task ReductionAboveLifetime_FetchesTokenPerRequest()
    {
        await using var tokens = await TokenServer.StartNumberedAsync(expiresIn: 5);
        var options = OidcOptions(tokens);
        options[CommonOptions.OidcExpiryReduction] = "10s";
        options[LookupOptions.RequestThreadPoolSize] = "1";

        await RunAsync(options, IdSource, IdRows(Ids(2)), IdJoin, new LookupJoinOptions { TimeProvider = new FakeTimeProvider() });

        Assert.Equal(2, tokens.Count);
        Assert.Equal(["Bearer token-1", "Bearer token-2"], SentAuthorizations());
    }

    [Fact]
    public async Task HugeExpiresIn_CachesToken()
    {
        await using var tokens = await TokenServer.StartAsync(_ => new TokenResponse(200, """{"access_token":"token-1","expires_in":1e300}"""));
        var time = new FakeTimeProvider();
        using var join = LookupJoin.Create(CreateSettings(OidcOptions(tokens)), IdJoin, IdSource, new LookupJoinOptions { TimeProvider = time });

        await RunAsync(join, IdRows(["1"]));
        time.Advance(TimeSpan.FromDays(30));
        await RunAsync(join, IdRows(["2"]));

        Assert.Equal(1, tokens.Count);
        Assert.Equal(["Bearer token-1", "Bearer token-1"], SentAuthorizations());
    }

    [Fact]
    public async Task Unauthorized_RefetchesTokenOnce()
    {
        Server.Given(Request.Create().WithPath("/customers").WithHeader("Authorization", "Bearer token-1"))
            .AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(401));
        await using var tokens = await TokenServer.StartNumberedAsync(expiresIn: 3600);

        var rows = await RunAsync(OidcOptions(tokens), IdSource, IdRows(["1"]), IdJoin, new LookupJoinOptions { TimeProvider = new FakeTimeProvider() });

        Assert.Equal("found", LookupRow(Assert.Single(rows))["msg"]);
        Assert.Equal(2, tokens.Count);
        Assert.Equal(["Bearer token-1", "Bearer token-2"], SentAuthorizations());
    }

    [Fact]
    public async Task UnauthorizedTwice_FailsLookup()
    {
        Server.Given(Request.Create().WithPath("/customers"))
            .AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(401).WithBody("token rejected"));
        await using var tokens = await TokenServer.StartNumberedAsync(expiresIn: 3600);

        var failure = await LookupFailureAsync(OidcOptions(tokens));

        Assert.Equal(401, failure.StatusCode);
        Assert.Equal(2, tokens.Count);
        Assert.Equal(["Bearer token-1", "Bearer token-2"], SentAuthorizations());
    }

    [Theory]
    [InlineData(201, """{"access_token":"created","expires_in":60}""", "returned status 201")]
    [InlineData(400, """{"error":"invalid_client"}""", "returned status 400")]
    [InlineData(401, """{"error":"invalid_client"}""", "returned status 401")]
    [InlineData(200, "<html>sign in</html>", "returned a body that is not JSON")]
    [InlineData(200, """{"token_type":"Bearer","expires_in":60}""", "returned status 200 without a string access_token")]
    [InlineData(200, """{"access_token":42}""", "returned status 200 without a string access_token")]
    [InlineData(200, """{"access_token":"S3cret-Token\r\nX-Injected: 1"}""", UnsendableToken + "a control character")]
    [InlineData(200, """{"access_token":"t\u00f6k-S3cret-Token"}""", UnsendableToken + "a non-ASCII character")]
    [InlineData(200, """{"access_token":"S3cret-Token two"}""", UnsendableToken + "a space")]
    public async Task TokenError_FailsLookupWithEndpoint(int status, string body, string expected)
    {
        await using var tokens = await TokenServer.StartAsync(_ => new TokenResponse(status, body));

        var options = OidcOptions(tokens);
        options[LookupOptions.FixedDelay] = "10ms";

        var failure = await LookupFailureAsync(options);

        // The same token request would get the same response again, so the lookup fails without retrying.
        Assert.StartsWith(
            $"Lookup in table 'customers' failed: GET {BaseUrl}/customers?id=1 failed because no OIDC token was available after 1 attempt(s)",
            failure.Message);
        Assert.Contains($"OIDC token endpoint {tokens.Url} {expected}", failure.Message);
        Assert.DoesNotContain("S3cret-Request", failure.ToString());
        Assert.DoesNotContain("client_secret", failure.ToString());
        Assert.DoesNotContain("S3cret-Token", failure.ToString());
        Assert.DoesNotContain("X-Injected", failure.ToString());
        Assert.Equal(1, tokens.Count);
        Assert.Empty(Requests);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(429)]
    [InlineData(408)]
    public async Task TransientTokenError_RetriesLookup(int status)
    {
        await using var tokens = await TokenServer.StartAsync(number => number == 1
            ? new TokenResponse(status, """{"error":"temporarily_unavailable"}""")
            : TokenResponse.Token("token-2", 3600));
        var options = OidcOptions(tokens);
        options[LookupOptions.FixedDelay] = "10ms";

        var rows = await LookupAsync(options, "1");

        Assert.Equal("found", LookupRow(Assert.Single(rows))["msg"]);
        Assert.Equal(2, tokens.Count);
        Assert.Equal(["Bearer token-2"], SentAuthorizations());
    }

    [Fact]
    public async Task TransientTokenError_FailsAfterRetries()
    {
        await using var tokens = await TokenServer.StartAsync(_ => new TokenResponse(503, """{"error":"temporarily_unavailable"}"""));
        var options = OidcOptions(tokens);
        options[LookupOptions.MaxRetries] = "2";
        options[LookupOptions.FixedDelay] = "10ms";

        var failure = await LookupFailureAsync(options);

        Assert.StartsWith(
            $"Lookup in table 'customers' failed: GET {BaseUrl}/customers?id=1 failed because no OIDC token was available after 3 attempt(s)",
            failure.Message);
        Assert.Contains($"OIDC token endpoint {tokens.Url} returned status 503, a temporary failure of the endpoint.", failure.Message);
        Assert.DoesNotContain("Check the token request", failure.Message);
        Assert.Equal(3, tokens.Count);
        Assert.Empty(Requests);
    }

    [Fact]
    public async Task UnreachableTokenEndpoint_RetriesThenFails()
    {
        var options = BaseOptions();
        options[CommonOptions.OidcTokenEndpoint] = $"http://127.0.0.1:{ClosedPort()}/oauth/token";
        options[CommonOptions.OidcTokenRequest] = TokenRequestBody;
        options[LookupOptions.MaxRetries] = "1";
        options[LookupOptions.FixedDelay] = "10ms";

        var failure = await LookupFailureAsync(options);

        Assert.StartsWith(
            $"Lookup in table 'customers' failed: GET {BaseUrl}/customers?id=1 failed because no OIDC token was available after 2 attempt(s)",
            failure.Message);
        Assert.Contains("OIDC token request to http://127.0.0.1:", failure.Message);
        Assert.IsType<Connector.Actors.Auth.OidcTokenException>(failure.InnerException);
        Assert.Empty(Requests);
    }

    [Fact]
    public async Task TokenTimeout_FailsWithTimedOut()
    {
        await using var tokens = await TokenServer.StartNumberedAsync(expiresIn: 3600, delay: TimeSpan.FromSeconds(5));
        var options = OidcOptions(tokens);
        options[LookupOptions.RequestTimeout] = "300ms";
        options[LookupOptions.MaxRetries] = "0";

        var failure = await LookupFailureAsync(options);

        Assert.Contains("timed out", failure.Message);
        Assert.Equal(1, tokens.Count);
        Assert.Empty(Requests);
    }

    /// <summary>
    /// The first token response comes after the token request's own timeout, later ones at once. Every lookup's
    /// first attempt times out waiting for the token, and a retry gets the token from the second request. The
    /// lookups run either with a private token cache or through the endpoint entity of an actor system.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SlowFirstToken_ConcurrentLookups_SucceedAfterRetries(bool throughEntity)
    {
        await using var tokens = await TokenServer.StartAsync(
            number => TokenResponse.Token($"token-{number}", 3600),
            number => number == 1 ? TimeSpan.FromMilliseconds(1500) : null);
        var options = OidcOptions(tokens);
        options[LookupOptions.RequestTimeout] = "500ms";
        options[LookupOptions.MaxRetries] = "5";
        options[LookupOptions.FixedDelay] = "200ms";
        options[LookupOptions.RequestThreadPoolSize] = "8";
        var joinOptions = new LookupJoinOptions { ActorSystem = throughEntity ? Sys : null };

        var rows = await RunAsync(options, IdSource, IdRows(Ids(5)), IdJoin, joinOptions);

        Assert.Equal(5, rows.Count);
        Assert.InRange(tokens.Count, 2, 3);
        Assert.Equal(5, Requests.Count);
        Assert.All(SentAuthorizations(), value => Assert.NotEqual("Bearer token-1", value));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TokenWaitTimeout_FailureNamesOidc(bool throughEntity)
    {
        await using var tokens = await TokenServer.StartNumberedAsync(expiresIn: 3600, delay: TimeSpan.FromSeconds(3));
        var options = OidcOptions(tokens);
        options[LookupOptions.RequestTimeout] = "300ms";
        options[LookupOptions.MaxRetries] = "1";
        options[LookupOptions.FixedDelay] = "10ms";
        var joinOptions = new LookupJoinOptions { ActorSystem = throughEntity ? Sys : null };

        var failure = await Assert.ThrowsAsync<LookupFailedException>(
            () => RunAsync(options, IdSource, IdRows(["1"]), IdJoin, joinOptions));

        Assert.StartsWith(
            $"Lookup in table 'customers' failed: GET {BaseUrl}/customers?id=1 failed because no OIDC token was available after 2 attempt(s): ",
            failure.Message);
        Assert.IsType<Connector.Actors.Auth.OidcTokenException>(failure.InnerException);
        Assert.InRange(tokens.Count, 1, 2);
        Assert.Empty(Requests);
    }

    /// <summary>
    /// Another node is the endpoint entity's fetcher and never reports, so every attempt of the lookup times out
    /// while it waits for a token, and the failure names the missing token, not the data endpoint.
    /// </summary>
    [Fact]
    public async Task PendingClusterFetch_AttemptTimeout_NamesOidc()
    {
        await using var tokens = await TokenServer.StartNumberedAsync(expiresIn: 3600);
        var options = OidcOptions(tokens);
        options[LookupOptions.RequestTimeout] = "300ms";
        options[LookupOptions.MaxRetries] = "1";
        options[LookupOptions.FixedDelay] = "10ms";
        var endpointId = CreateSettings(options).Endpoint.EndpointId;
        var credentialsKey = Convert.ToHexString(SHA256.HashData(
            Encoding.UTF8.GetBytes(new Uri(tokens.Url).AbsoluteUri + "\n" + TokenRequestBody)));
        var entities = EndpointCoordinator.Get(Sys).Entities;
        var elected = await entities.Ask<IEndpointMessage>(
            new AcquireToken(endpointId, credentialsKey, null, TimeSpan.FromSeconds(30)),
            TimeSpan.FromSeconds(5));
        Assert.IsType<FetchToken>(elected);

        var failure = await Assert.ThrowsAsync<LookupFailedException>(
            () => RunAsync(options, IdSource, IdRows(["1"]), IdJoin, new LookupJoinOptions { ActorSystem = Sys }));

        Assert.Equal(
            $"Lookup in table 'customers' failed: GET {BaseUrl}/customers?id=1 failed because no OIDC token was available after 2 attempt(s): " +
            "The attempt timed out after 300 ms because no OIDC token arrived within the attempt timeout.",
            failure.Message);
        var oidcFailure = Assert.IsType<Connector.Actors.Auth.OidcTokenException>(failure.InnerException);
        Assert.True(oidcFailure.IsTransient);
        Assert.Equal(0, tokens.Count);
        Assert.Empty(Requests);
    }

    [Fact]
    public async Task TokenRequest_GoesThroughProxy()
    {
        // Both URLs point to a closed port, so the lookup only succeeds when both requests go to the proxy.
        Server.Given(Request.Create().WithPath("/oauth/token").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"access_token":"proxied","expires_in":3600}"""));
        var closed = $"http://127.0.0.1:{ClosedPort()}";
        var options = BaseOptions();
        options[CommonOptions.Url] = closed + "/customers";
        options[CommonOptions.OidcTokenEndpoint] = closed + "/oauth/token";
        options[CommonOptions.OidcTokenRequest] = TokenRequestBody;
        options[LookupOptions.ProxyHost] = "127.0.0.1";
        options[LookupOptions.ProxyPort] = Server.Port.ToString(CultureInfo.InvariantCulture);

        var rows = await LookupAsync(options, "1");

        Assert.Equal("found", LookupRow(Assert.Single(rows))["msg"]);
        var token = Assert.Single(Requests, entry => entry.RequestMessage.Path == "/oauth/token");
        Assert.Equal(TokenRequestBody, token.RequestMessage.Body);
        Assert.Equal(["Bearer proxied"], Requests.Where(e => e.RequestMessage.Path == "/customers").Select(e => e.RequestMessage.Headers!["Authorization"].Single()));
    }

    [Fact]
    public async Task Creation_SendsNoTokenRequest()
    {
        await using var tokens = await TokenServer.StartNumberedAsync(expiresIn: 3600);
        var sinkOptions = new Dictionary<string, string>
        {
            [CommonOptions.Connector] = SinkOptions.ConnectorId,
            [CommonOptions.Url] = BaseUrl + "/orders",
            [CommonOptions.OidcTokenEndpoint] = tokens.Url,
            [CommonOptions.OidcTokenRequest] = TokenRequestBody,
        };

        var settings = CreateSettings(OidcOptions(tokens));
        using (LookupJoin.Create(settings, IdJoin, IdSource))
        using (HttpSink.Create(SinkSettings.Create(TableOptions.FromDictionary("orders", sinkOptions))))
        {
            // A request started in the background would reach the servers within this wait.
            await Task.Delay(100);
        }

        Assert.Equal(0, tokens.Count);
        Assert.Empty(Requests);
    }
}
