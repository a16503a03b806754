namespace Connector.Actors.Schema;

/// <summary>Thrown when JSON text cannot be decoded into a row of the declared columns.</summary>
public sealed class RowDecodeException : FormatException
{
    /// <summary>Creates the exception with a message naming the column and the problem.</summary>
    public RowDecodeException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
