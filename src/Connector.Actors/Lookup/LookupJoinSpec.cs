namespace Connector.Actors.Lookup;

/// <summary>How a stream joins a lookup table: the alias of the lookup row and which columns feed the keys.</summary>
/// <param name="Alias">The output column that contains the lookup row, such as <c>c</c>.</param>
/// <param name="On">Pairs of lookup table column and upstream column; the lookup column names become request parameters.</param>
/// <param name="Join">Inner or left join.</param>
/// <param name="BufferCapacity">
/// The maximum number of elements that the join keeps at once: elements whose lookup runs or waits for one of the
/// table's <c>http.source.lookup.request.thread-pool.size</c> request slots, and elements whose lookup has finished
/// but which wait for earlier ones to keep input order. Like Flink's <c>table.exec.async-lookup.buffer-capacity</c>,
/// it defaults to <see cref="DefaultBufferCapacity"/>.
/// </param>
public sealed record LookupJoinSpec(
    string Alias,
    IReadOnlyList<KeyValuePair<string, string>> On,
    JoinType Join = JoinType.Inner,
    int BufferCapacity = LookupJoinSpec.DefaultBufferCapacity)
{
    /// <summary>The default buffer capacity, 100 elements.</summary>
    public const int DefaultBufferCapacity = 100;
}
