namespace Connector.Actors.Http;

/// <summary>An invalid TLS option value found by <see cref="TlsConfigurator.Validate"/>.</summary>
/// <param name="Option">Name of the option at fault, for example <c>http.security.key.client</c>.</param>
/// <param name="Value">The option's value, usually a file path.</param>
/// <param name="Message">What is wrong and how to fix it. It never contains key material.</param>
internal sealed record TlsProblem(string Option, string Value, string Message)
{
    /// <summary>Formats the problem as <c>option 'value': message</c>.</summary>
    public override string ToString()
    {
        return $"{Option} '{Value}': {Message}";
    }
}
