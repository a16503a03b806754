using Akka.Actor;
using Connector.Actors.Cluster;
using static Connector.Actors.Cluster.EndpointProtocol;

namespace Connector.Actors.Tests.Cluster;

public sealed class EndpointProtocolSerializationTests : IDisposable
{
    private static readonly EndpointSettings Settings =
        new("http://127.0.0.1:80", 50, 5, 3, TimeSpan.FromSeconds(10), true, TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(30));

    private readonly ActorSystem _system = ActorSystem.Create("serialization-test", "akka.loglevel = WARNING");

    public void Dispose() => _system.Terminate().Wait(TimeSpan.FromSeconds(10));

    public static TheoryData<object> Messages => new()
    {
        new LeasePermits("http://127.0.0.1:80", 5, "node-a", Settings),
        new PermitsLeased("http://127.0.0.1:80", 3, new DateTimeOffset(2026, 12, 4, 10, 0, 0, TimeSpan.Zero), TimeSpan.FromMilliseconds(20)),
        new CircuitState("http://127.0.0.1:80", new DateTimeOffset(2026, 12, 4, 10, 0, 2, TimeSpan.Zero), false),
        new ReportFailure("http://127.0.0.1:80", TimeSpan.FromSeconds(2), false, "status 429"),
        new AcquireToken("http://127.0.0.1:80", "key", null, TimeSpan.FromSeconds(12)),
        new TokenIssued("http://127.0.0.1:80", "Bearer t", null),
        new TokenFetched("http://127.0.0.1:80", "key", null, null, "failed"),
    };

    [Theory]
    [MemberData(nameof(Messages))]
    public void Message_RoundTrips(object message)
    {
        var serializer = _system.Serialization.FindSerializerFor(message);
        var bytes = serializer.ToBinary(message);
        var copy = serializer.FromBinary(bytes, message.GetType());

        Assert.Equal(message, copy);
    }

    [Fact]
    public void Subscribe_RoundTrips()
    {
        var message = new Subscribe("http://127.0.0.1:80", _system.DeadLetters, Settings);
        var serializer = _system.Serialization.FindSerializerFor(message);

        var copy = (Subscribe)serializer.FromBinary(serializer.ToBinary(message), typeof(Subscribe));

        Assert.Equal(Settings, copy.Settings);
    }
}
