using Akka;
using Akka.IO;
using Akka.Streams.Dsl;
using Connector.Actors.Options;
using Connector.Actors.Schema;

namespace Connector.Node.Tables;

/// <summary>
/// The <c>file</c> source: an NDJSON file, one JSON object per line, decoded by column name. A malformed line fails
/// the pipeline with the file and line number unless <c>json.ignore-parse-errors</c> is set.
/// </summary>
internal sealed class FileSourceTable : SourceTable
{
    private const int MaxLineBytes = 16 * 1024 * 1024;

    private readonly string _path;
    private readonly bool _ignoreParseErrors;
    private readonly bool _failOnMissingField;

    private FileSourceTable(string name, RowType columns, string path, bool ignoreParseErrors, bool failOnMissingField)
        : base(name, columns)
    {
        _path = path;
        _ignoreParseErrors = ignoreParseErrors;
        _failOnMissingField = failOnMissingField;
    }

    public override bool IsBounded => true;

    /// <summary>The full path of the file, to check that no sink writes it.</summary>
    public string FullPath => Path.GetFullPath(_path);

    public static FileSourceTable? Create(TableOptions options, RowType? columns, List<ConfigurationProblem> problems)
    {
        var reader = new OptionReader(options, NodeConnectorOptions.FileOptions);
        var path = reader.Require(NodeConnectorOptions.Path, "set it to an NDJSON file, such as data/orders.ndjson.");
        if (path is not null && !File.Exists(path))
        {
            reader.AddProblem(NodeConnectorOptions.Path, $"file '{path}' not found (paths are relative to the working directory '{Environment.CurrentDirectory}').");
        }

        var ignore = reader.GetBoolean(CommonOptions.JsonIgnoreParseErrors, false);
        var failOnMissing = reader.GetBoolean(CommonOptions.JsonFailOnMissingField, false);
        FormatCheck(reader);
        reader.ReportUnknownOptions();
        problems.AddRange(reader.Problems);
        return reader.Problems.Count == 0 && columns is not null
            ? new FileSourceTable(options.TableName, columns, path!, ignore, failOnMissing)
            : null;
    }

    internal static void FormatCheck(OptionReader reader)
    {
        var format = reader.GetString(CommonOptions.Format);
        if (format is not null && !format.Equals("json", StringComparison.OrdinalIgnoreCase))
        {
            reader.AddProblem(CommonOptions.Format, $"unsupported format '{format}'; only json is supported.");
        }
    }

    public override Source<Row, NotUsed> CreateSource() =>
        FileIO.FromFile(new FileInfo(_path))
            .Via(Framing.Delimiter(ByteString.FromString("\n"), MaxLineBytes, allowTruncation: true))
            .ZipWithIndex()
            .SelectMany(line => Decode(line.Item1, line.Item2 + 1))
            .MapMaterializedValue(_ => NotUsed.Instance)
            .Named("file-source-" + Name);

    private IEnumerable<Row> Decode(ByteString line, long lineNumber)
    {
        var bytes = line.ToArray().AsSpan().TrimEnd("\r"u8);
        if (bytes.Trim(" \t"u8).IsEmpty)
        {
            return [];
        }

        try
        {
            var rows = RowJsonReader.ReadRows(bytes, Columns, requireArray: false, _failOnMissingField);
            return rows.Count == 1
                ? rows
                : throw new RowDecodeException("expected one JSON object per line.");
        }
        catch (RowDecodeException exception)
        {
            if (_ignoreParseErrors)
            {
                return [];
            }

            throw new RowDecodeException(
                $"File source '{Name}': line {lineNumber} of '{_path}' is not a valid row: {exception.Message} " +
                "Fix the line or set json.ignore-parse-errors = true to skip such lines.",
                exception);
        }
    }
}
