using Connector.Actors.Http;

namespace Connector.Actors.Tests.Http;

/// <summary>Which query parameters and URL parts <see cref="UrlRedaction"/> hides.</summary>
public sealed class UrlRedactionTests
{
    [Theory]
    [InlineData("api_key")]
    [InlineData("apikey")]
    [InlineData("API-KEY")]
    [InlineData("api.key")]
    [InlineData("x-api-key")]
    [InlineData("key")]
    [InlineData("subscription-key")]
    [InlineData("token")]
    [InlineData("access_token")]
    [InlineData("id_token")]
    [InlineData("refresh_token")]
    [InlineData("X-Amz-Security-Token")]
    [InlineData("secret")]
    [InlineData("client_secret")]
    [InlineData("password")]
    [InlineData("passwd")]
    [InlineData("pwd")]
    [InlineData("PWD")]
    [InlineData("pass")]
    [InlineData("session")]
    [InlineData("sessionid")]
    [InlineData("session_id")]
    [InlineData("JSESSIONID")]
    [InlineData("PHPSESSID")]
    [InlineData("sid")]
    [InlineData("signature")]
    [InlineData("X-Amz-Signature")]
    [InlineData("sig")]
    [InlineData("auth")]
    [InlineData("authorization")]
    [InlineData("credential")]
    [InlineData("credentials")]
    [InlineData("X-Amz-Credential")]
    [InlineData("code")]
    [InlineData("app_key")]
    [InlineData("auth_key")]
    [InlineData("session_key")]
    [InlineData("jwt")]
    [InlineData("client_assertion")]
    [InlineData("db_pwd")]
    public void SecretParameter_ValueHidden(string name)
    {
        var redacted = UrlRedaction.Redact(new Uri($"http://127.0.0.1:8080/items?page=2&{name}=TOPSECRET&id=7"));

        Assert.Equal($"http://127.0.0.1:8080/items?page=2&{name}=***&id=7", redacted);
    }

    [Theory]
    [InlineData("id")]
    [InlineData("page")]
    [InlineData("author")]
    [InlineData("keyword")]
    [InlineData("sort_key")]
    [InlineData("zipcode")]
    [InlineData("passenger")]
    [InlineData("side")]
    public void OrdinaryParameter_ValueShown(string name)
    {
        var url = $"http://127.0.0.1:8080/items?{name}=visible";

        Assert.Equal(url, UrlRedaction.Redact(new Uri(url)));
    }

    [Fact]
    public void EncodedParameterName_ValueHidden()
    {
        var redacted = UrlRedaction.Redact(new Uri("http://127.0.0.1/items?api%5Fkey=TOPSECRET&apikey=TOPSECRET"));

        // Uri decodes %5F, an unreserved character, to '_' before redaction reads the name.
        Assert.Equal("http://127.0.0.1/items?api_key=***&apikey=***", redacted);
    }

    [Fact]
    public void Fragment_Hidden()
    {
        var redacted = UrlRedaction.Redact(new Uri("http://127.0.0.1/callback?page=2#access_token=FRAGSECRET&state=x"));

        Assert.Equal("http://127.0.0.1/callback?page=2#***", redacted);
    }

    [Fact]
    public void UserInformation_Removed()
    {
        var redacted = UrlRedaction.Redact(new Uri("http://user:TOPSECRET@127.0.0.1/items"));

        Assert.Equal("http://127.0.0.1/items", redacted);
    }
}
