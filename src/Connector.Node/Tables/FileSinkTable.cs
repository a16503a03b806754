using Akka.IO;
using Akka.Streams.Dsl;
using Connector.Actors.Options;
using Connector.Actors.Schema;

namespace Connector.Node.Tables;

/// <summary>The <c>file</c> sink: writes each row as one JSON line to a file, replacing the file.</summary>
internal sealed class FileSinkTable : SinkTable
{
    private readonly string _path;

    private FileSinkTable(string name, string path)
        : base(name)
    {
        _path = path;
    }

    public static FileSinkTable? Create(TableOptions options, List<ConfigurationProblem> problems)
    {
        var reader = new OptionReader(options, NodeConnectorOptions.FileOptions);
        var path = reader.Require(NodeConnectorOptions.Path, "set it to the NDJSON file to write, such as out/enriched.ndjson.");
        if (path is not null && Directory.Exists(path))
        {
            reader.AddProblem(NodeConnectorOptions.Path, $"'{path}' is a directory; set the path of the NDJSON file to write.");
        }
        else if (path is not null)
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(path));
            if (folder is not null && !Directory.Exists(folder))
            {
                reader.AddProblem(NodeConnectorOptions.Path, $"directory '{folder}' of '{path}' does not exist; create it or choose another path.");
            }
        }

        foreach (var option in new[] { CommonOptions.JsonIgnoreParseErrors, CommonOptions.JsonFailOnMissingField })
        {
            if (reader.GetString(option) is not null)
            {
                reader.AddProblem(option, "applies to file sources only; remove it from this sink.");
            }
        }

        FileSourceTable.FormatCheck(reader);
        reader.ReportUnknownOptions();
        problems.AddRange(reader.Problems);
        return reader.Problems.Count == 0 ? new FileSinkTable(options.TableName, path!) : null;
    }

    /// <summary>The full path of the file, to check that no two pipelines write it and no source reads it.</summary>
    public string FullPath => Path.GetFullPath(_path);

    public override Sink<Row, Task<string>> CreateSink() =>
        Flow.Create<Row>()
            .WatchTermination(Keep.Right)
            .Select(row => ByteString.FromString(RowJsonWriter.ToJsonString(row) + "\n"))
            .ToMaterialized(FileIO.ToFile(new FileInfo(_path), FileMode.Create), Keep.Both)
            .MapMaterializedValue(async materialized =>
            {
                var (upstream, io) = materialized;
                try
                {
                    var result = await io.ConfigureAwait(false);
                    return $"wrote {result.Count} bytes to {_path}";
                }
                catch (Exception) when (upstream.IsFaulted)
                {
                    // The file sink reports only that writing stopped, and the upstream error gives the reason.
                    throw upstream.Exception!.GetBaseException();
                }
            });
}
