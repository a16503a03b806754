namespace Connector.Actors.Options;

/// <summary>
/// Exception thrown when an option value cannot be parsed or breaks a rule for its option.
/// </summary>
/// <remarks>
/// The message is one or more complete sentences that name the offending item and what is allowed.
/// It does not name the table or the option, because the caller adds them.
/// </remarks>
internal sealed class OptionFormatException : FormatException
{
    /// <summary>Creates the exception with the given message.</summary>
    public OptionFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the given message and the exception that caused it.</summary>
    public OptionFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
