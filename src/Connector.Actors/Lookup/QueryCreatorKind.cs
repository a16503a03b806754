namespace Connector.Actors.Lookup;

/// <summary>How a lookup's key values become the HTTP request.</summary>
public enum QueryCreatorKind
{
    /// <summary>GET: key columns as a form-encoded query string; other methods: a JSON body of the keys.</summary>
    GenericGetQuery,

    /// <summary>The same mapping as <see cref="GenericGetQuery"/>; the default for methods other than GET.</summary>
    GenericJsonQuery,

    /// <summary>Chosen key columns as query parameters, body fields and URL placeholders.</summary>
    GenericJsonUrl,
}
