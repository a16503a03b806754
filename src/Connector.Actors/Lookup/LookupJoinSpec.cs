namespace Connector.Actors.Lookup;

/// <summary>How a stream joins a lookup table: the alias of the lookup row and which columns feed the keys.</summary>
/// <param name="Alias">The output column that contains the lookup row, such as <c>c</c>.</param>
/// <param name="On">Pairs of lookup table column and upstream column; the lookup column names become request parameters.</param>
/// <param name="Join">Inner or left join.</param>
public sealed record LookupJoinSpec(string Alias, IReadOnlyList<KeyValuePair<string, string>> On, JoinType Join = JoinType.Inner);
