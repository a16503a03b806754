using System.Text;
using Connector.Actors.Http;

namespace Connector.Actors.Tests.Http;

/// <summary>How <see cref="RequestHeaders.Apply"/> sets the Authorization value that a token provider returns.</summary>
public sealed class RequestHeadersApplyTests
{
    [Theory]
    [InlineData("Bearer abc")]
    [InlineData("Bearer opaque:token,with\"quotes\"")]
    public void Override_SentAsIs(string authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://127.0.0.1/");

        RequestHeaders.Empty.Apply(request, authorization);

        Assert.Equal([authorization], request.Headers.GetValues("Authorization"));
    }

    [Theory]
    [InlineData("Bearer S3cret\r\nX-Injected: 1")]
    [InlineData("Bearer S3cret\u0001")]
    [InlineData("Bearer t\u00f6k-S3cret")]
    public void UnsendableOverride_RejectedWithoutValue(string authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://127.0.0.1/")
        {
            Content = new StringContent("{}", Encoding.UTF8, "application/json"),
        };

        var failure = Assert.Throws<InvalidOperationException>(() => RequestHeaders.Empty.Apply(request, authorization));

        Assert.Contains("cannot carry", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("S3cret", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("X-Injected", failure.Message, StringComparison.Ordinal);
        Assert.False(request.Headers.Contains("Authorization"));
    }
}
