using Connector.Actors.Lookup;
using Connector.Actors.Schema;

namespace Connector.Actors.Tests.Lookup;

/// <summary>Equality of lookup keys whose values are nested rows, arrays, maps or bytes.</summary>
public sealed class KeyValueComparerTests
{
    private static readonly RowType AddressType = TypeParser.ParseColumns("city STRING, zip STRING");

    public static TheoryData<object?, object?> EqualPairs() => new()
    {
        { null, null },
        { "a", "a" },
        { 7L, 7L },
        { 0.0, -0.0 },
        { new Row(AddressType, ["Paris", "75001"]), new Row(AddressType, ["Paris", "75001"]) },
        { new object?[] { "a", null, 3 }, new object?[] { "a", null, 3 } },
        { new byte[] { 1, 2, 3 }, new byte[] { 1, 2, 3 } },
        {
            new Dictionary<string, object?> { ["x"] = 1, ["y"] = new object?[] { "z" } },
            new Dictionary<string, object?> { ["y"] = new object?[] { "z" }, ["x"] = 1 }
        },
    };

    public static TheoryData<object?, object?> DifferentPairs() => new()
    {
        { null, "a" },
        { "a", "b" },
        { 7, 7L },
        { new Row(AddressType, ["Paris", "75001"]), new Row(AddressType, ["Paris", "75002"]) },
        { new object?[] { "a", "b" }, new object?[] { "a" } },
        { new object?[] { "a", "b" }, new object?[] { "b", "a" } },
        { new byte[] { 1, 2, 3 }, new byte[] { 1, 2, 4 } },
        { new Dictionary<string, object?> { ["x"] = 1 }, new Dictionary<string, object?> { ["x"] = 2 } },
        { new Dictionary<string, object?> { ["x"] = 1 }, new Dictionary<string, object?> { ["y"] = 1 } },
    };

    [Theory]
    [MemberData(nameof(EqualPairs))]
    public void EqualContent_EqualKeys(object? left, object? right)
    {
        var first = new LookupKey(["id", left]);
        var second = new LookupKey(["id", right]);

        Assert.True(first.Equals(second));
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
    }

    [Theory]
    [MemberData(nameof(DifferentPairs))]
    public void DifferentContent_DifferentKeys(object? left, object? right)
    {
        var first = new LookupKey(["id", left]);
        var second = new LookupKey(["id", right]);

        Assert.False(first.Equals(second));
    }

    [Fact]
    public void NestedRowInArray_ComparedByContent()
    {
        object?[] Values() => [new Row(AddressType, ["Paris", null]), new Row(AddressType, ["Lyon", null])];

        var first = new LookupKey([Values()]);
        var second = new LookupKey([Values()]);

        Assert.True(first.Equals(second));
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
    }
}
