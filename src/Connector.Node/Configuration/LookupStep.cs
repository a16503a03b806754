using Connector.Actors.Lookup;

namespace Connector.Node.Configuration;

/// <summary>One entry of a pipeline's <c>lookups</c> list.</summary>
internal sealed record LookupStep(string Table, string Alias, IReadOnlyList<KeyValuePair<string, string>> On, JoinType Join, int BufferCapacity);
