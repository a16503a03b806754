namespace Connector.Actors.Tests.Http;

/// <summary>Test collection whose classes share one <see cref="TlsServersFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class TlsServersCollection : ICollectionFixture<TlsServersFixture>
{
    public const string Name = "TLS servers";
}
