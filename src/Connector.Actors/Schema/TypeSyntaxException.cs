namespace Connector.Actors.Schema;

/// <summary>Thrown when a column list or type is not valid Flink type syntax.</summary>
public sealed class TypeSyntaxException : FormatException
{
    /// <summary>Creates the exception with a message naming the text and position.</summary>
    public TypeSyntaxException(string message)
        : base(message)
    {
    }
}
