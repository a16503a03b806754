using Connector.Actors.Options;

namespace Connector.Actors.Tests.Options;

/// <summary>Which header and option names <see cref="SecretNames"/> treats as credentials.</summary>
public sealed class SecretNamesTests
{
    [Theory]
    [InlineData("Authorization")]
    [InlineData("Proxy-Authorization")]
    [InlineData("Cookie")]
    [InlineData("Set-Cookie")]
    [InlineData("X-Api-Key")]
    [InlineData("X-Api_Key")]
    [InlineData("x.api.key")]
    [InlineData("Private-Key")]
    [InlineData("X-Auth-Token")]
    [InlineData("X-Client-Secret")]
    [InlineData("X-Password")]
    [InlineData("X-Session-Id")]
    [InlineData("X-Signature")]
    [InlineData("X-Credentials")]
    [InlineData("X-AUTH")]
    [InlineData("X-Pwd")]
    [InlineData("X-Pass")]
    [InlineData("X-JWT-Assertion")]
    [InlineData("X-Bearer")]
    public void SecretHeader_Recognised(string name)
    {
        Assert.True(SecretNames.IsSecretHeader(name));
    }

    [Theory]
    [InlineData("Accept")]
    [InlineData("Content-Type")]
    [InlineData("Keep-Alive")]
    [InlineData("X-Region")]
    [InlineData("X-Request-Id")]
    [InlineData("Origin")]
    public void OrdinaryHeader_NotSecret(string name)
    {
        Assert.False(SecretNames.IsSecretHeader(name));
    }

    [Theory]
    [InlineData("http.source.lookup.header.X-Api_Key", true)]
    [InlineData("http.sink.header.Private-Key", true)]
    [InlineData("http.sink.header.X-Region", false)]
    public void HeaderOption_FollowsHeaderName(string option, bool expected)
    {
        Assert.Equal(expected, SecretNames.IsSecretOption(option));
    }
}
