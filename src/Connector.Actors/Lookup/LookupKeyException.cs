namespace Connector.Actors.Lookup;

/// <summary>Thrown when a row's key values cannot form a lookup request, such as a null value for a URL placeholder.</summary>
public sealed class LookupKeyException : Exception
{
    /// <summary>Creates the exception with a message naming the key column.</summary>
    public LookupKeyException(string message)
        : base(message)
    {
    }
}
