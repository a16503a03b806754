namespace Connector.Actors.Lookup;

/// <summary>What a lookup join does with an element whose lookup found no rows.</summary>
public enum JoinType
{
    /// <summary>The element is dropped.</summary>
    Inner,

    /// <summary>The element is emitted with the lookup columns null.</summary>
    Left,
}
