using System.Buffers;
using System.Globalization;
using System.Text;
using Connector.Actors.Http;
using Connector.Actors.Options;
using Connector.Actors.Schema;

namespace Connector.Actors.Lookup;

/// <summary>
/// Builds the request for one lookup from its key values with the table's query creator. Every value that enters
/// the URL is encoded, so a value can neither add a path segment nor a query parameter.
/// </summary>
internal sealed class LookupRequestFactory
{
    private const int MaxRetainedBuilderChars = 8 * 1024;

    [ThreadStatic]
    private static StringBuilder? _threadBuilder;

    private readonly LookupSettings _settings;
    private readonly RowType _keyType;
    private readonly int[] _queryParamKeys;
    private readonly int[] _bodyKeys;
    private readonly (string Token, int KeyIndex)[] _placeholders;
    private readonly bool _sendsBody;

    // The key columns of type TINYINT, SMALLINT or INT, whose values are range-checked before each request.
    private readonly int[] _rangeCheckedKeys;

    // The URL when no key goes into it, parsed once for every lookup.
    private readonly Uri? _fixedUri;

    /// <summary>Creates the factory for the given key columns, which must be lookup table columns.</summary>
    /// <exception cref="ConfigurationException">A mapping names a column that is not a join key.</exception>
    public LookupRequestFactory(LookupSettings settings, RowType keyType, string scope)
    {
        _settings = settings;
        _keyType = keyType;
        _sendsBody = settings.Method != HttpMethod.Get && settings.Method != HttpMethod.Head;
        _rangeCheckedKeys = Enumerable.Range(0, keyType.Count)
            .Where(i => IntegerRange.TryGet(keyType[i].Type.Kind, out _, out _))
            .ToArray();

        var problems = new List<ConfigurationProblem>();
        int KeyIndex(string column, string option)
        {
            var index = keyType.IndexOf(column);
            if (index < 0)
            {
                problems.Add(new ConfigurationProblem(scope, option,
                    $"column '{column}' of table '{settings.TableName}' is not a join key; add it to the lookup's 'on' keys " +
                    $"(keys: {string.Join(", ", keyType.Fields.Select(f => f.Name))})."));
            }

            return index;
        }

        if (settings.QueryCreator == QueryCreatorKind.GenericJsonUrl)
        {
            _queryParamKeys = settings.QueryParamFields.Select(c => KeyIndex(c, LookupOptions.QueryParamFields)).ToArray();
            _bodyKeys = settings.BodyFields.Select(c => KeyIndex(c, LookupOptions.BodyFields)).Order().ToArray();
            _placeholders = settings.UrlMap
                .Select(m => (m.Value, KeyIndex(m.Key, LookupOptions.UrlMap)))
                .ToArray();
        }
        else
        {
            _queryParamKeys = [];
            _bodyKeys = Enumerable.Range(0, keyType.Count).ToArray();
            _placeholders = [];
        }

        if (problems.Count > 0)
        {
            throw new ConfigurationException(problems);
        }

        var addsQuery = settings.QueryCreator == QueryCreatorKind.GenericJsonUrl ? _queryParamKeys.Length > 0 : !_sendsBody;
        if (_placeholders.Length == 0 && !addsQuery)
        {
            _fixedUri = new Uri(settings.Url);
        }
    }

    /// <summary>Builds the request for one set of key values, aligned with the key columns.</summary>
    /// <exception cref="LookupKeyException">
    /// A key that fills a URL placeholder is null, <c>.</c> or <c>..</c>, or a TINYINT, SMALLINT or INT key is not a whole
    /// number in its column type's range.
    /// </exception>
    public OutgoingRequest Create(object?[] keys)
    {
        CheckKeyRanges(keys);
        if (_fixedUri is not null)
        {
            return new OutgoingRequest(_settings.Method, _fixedUri, _sendsBody ? WriteBody(keys, _bodyKeys) : null);
        }

        var baseUrl = _placeholders.Length == 0 ? _settings.Url : FillPlaceholders(keys);
        var url = RentThreadBuilder();
        url.Append(baseUrl);
        var separator = baseUrl.Contains('?') ? '&' : '?';

        ReadOnlyMemory<byte>? body = null;
        if (_settings.QueryCreator == QueryCreatorKind.GenericJsonUrl)
        {
            foreach (var index in _queryParamKeys)
            {
                AppendParameter(url, ref separator, _keyType[index].Name, keys[index]);
            }

            if (_sendsBody)
            {
                body = WriteBody(keys, _bodyKeys);
            }
        }
        else if (_sendsBody)
        {
            body = WriteBody(keys, _bodyKeys);
        }
        else
        {
            for (var i = 0; i < keys.Length; i++)
            {
                AppendLeaves(url, ref separator, _keyType[i].Name, keys[i]);
            }
        }

        return new OutgoingRequest(_settings.Method, new Uri(url.ToString()), body);
    }

    /// <summary>Returns this thread's emptied URL builder; the caller must be done with it before it rents again.</summary>
    private static StringBuilder RentThreadBuilder()
    {
        if (_threadBuilder is null || _threadBuilder.Capacity > MaxRetainedBuilderChars)
        {
            // A builder that one long URL grew is dropped instead of being kept by the thread for good.
            _threadBuilder = new StringBuilder(256);
        }

        return _threadBuilder.Clear();
    }

    /// <summary>
    /// Rejects a TINYINT, SMALLINT or INT key value that is not a whole number in its column type's range. The join does
    /// not compare the upstream column's type with the lookup column's. So an INT or BIGINT upstream column can carry 300
    /// into a TINYINT key column, a STRING column "300" or "abc", and a DOUBLE or DECIMAL column 1.5.
    /// </summary>
    private void CheckKeyRanges(object?[] keys)
    {
        // NOTE: only top-level key columns are checked, not the fields of a ROW key column.
        foreach (var index in _rangeCheckedKeys)
        {
            var kind = _keyType[index].Type.Kind;
            switch (keys[index])
            {
                case int or long or short or sbyte or byte:
                    var integer = Convert.ToInt64(keys[index], CultureInfo.InvariantCulture);
                    if (!IntegerRange.Contains(kind, integer))
                    {
                        throw new LookupKeyException(string.Create(
                            CultureInfo.InvariantCulture,
                            $"key column '{_keyType[index].Name}' has value {integer}, which is outside {IntegerRange.Describe(kind)}."));
                    }

                    break;
                case string text:
                    var isInteger = long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed);
                    if (!isInteger || !IntegerRange.Contains(kind, parsed))
                    {
                        throw NotWholeNumberInRange(index, $"string value '{text}'");
                    }

                    break;
                case double or float:
                    var number = Convert.ToDouble(keys[index], CultureInfo.InvariantCulture);
                    if (Math.Floor(number) != number || !IntegerRange.Contains(kind, number))
                    {
                        throw NotWholeNumberInRange(index, string.Create(CultureInfo.InvariantCulture, $"value {number:R}"));
                    }

                    break;
                case decimal exact:
                    if (decimal.Truncate(exact) != exact || !IntegerRange.Contains(kind, (double)exact))
                    {
                        throw NotWholeNumberInRange(index, string.Create(CultureInfo.InvariantCulture, $"value {exact}"));
                    }

                    break;
            }
        }
    }

    private LookupKeyException NotWholeNumberInRange(int index, string value)
    {
        var kind = _keyType[index].Type.Kind;
        return new LookupKeyException(
            $"key column '{_keyType[index].Name}' has {value}, which is not a whole number in {IntegerRange.Describe(kind)}.");
    }

    private string FillPlaceholders(object?[] keys)
    {
        return HttpOptionsReader.PlaceholderPattern.Replace(_settings.Url, match =>
        {
            var name = match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Value;
            foreach (var (token, keyIndex) in _placeholders)
            {
                if (token != name)
                {
                    continue;
                }

                var value = keys[keyIndex] ?? throw new LookupKeyException(
                    $"key column '{_keyType[keyIndex].Name}' is null, so URL placeholder '{{{name}}}' cannot be filled.");
                var text = KeyText.Format(value);
                if (text is "." or "..")
                {
                    // RFC 3986 makes %2E equal to '.', and System.Uri decodes it and removes the segment, so no
                    // encoding keeps such a value from changing the path.
                    throw new LookupKeyException(
                        $"key column '{_keyType[keyIndex].Name}' is '{text}', a dot segment, so URL placeholder '{{{name}}}' cannot be filled without changing the path.");
                }

                return FormEncoding.EncodePathSegment(text);
            }

            return match.Value;
        });
    }

    private static void AppendLeaves(StringBuilder url, ref char separator, string name, object? value)
    {
        if (value is not Row row)
        {
            AppendParameter(url, ref separator, name, value);
            return;
        }

        // Nested key rows contribute their leaf fields under the leaf names, as Flink's HTTP connector does.
        for (var i = 0; i < row.Type.Count; i++)
        {
            AppendLeaves(url, ref separator, row.Type[i].Name, row.Values[i]);
        }
    }

    /// <summary>Appends <c>name=value</c> form-encoded after the separator. A null value adds nothing.</summary>
    private static void AppendParameter(StringBuilder url, ref char separator, string name, object? value)
    {
        if (value is null)
        {
            return;
        }

        url.Append(separator);
        FormEncoding.AppendQueryComponent(url, name);
        url.Append('=');
        FormEncoding.AppendQueryComponent(url, KeyText.Format(value));
        separator = '&';
    }

    private byte[] WriteBody(object?[] keys, int[] fields)
    {
        var writer = RowJsonWriter.RentThreadWriter(out var buffer);
        writer.WriteStartObject();
        foreach (var index in fields)
        {
            writer.WritePropertyName(_keyType[index].Name);
            RowJsonWriter.WriteValue(writer, keys[index]);
        }

        writer.WriteEndObject();
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }
}
