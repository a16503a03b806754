using Akka.Streams.Dsl;
using Connector.Actors.Options;
using Connector.Actors.Schema;

namespace Connector.Node.Tables;

/// <summary>The <c>print</c> sink: writes each row to standard output as one JSON line; logs go to standard error.</summary>
internal sealed class PrintSinkTable : SinkTable
{
    private readonly TextWriter _output;

    private PrintSinkTable(string name, TextWriter output)
        : base(name)
    {
        _output = output;
    }

    public static PrintSinkTable? Create(TableOptions options, TextWriter output, List<ConfigurationProblem> problems)
    {
        var reader = new OptionReader(options, NodeConnectorOptions.PrintOptions);
        FileSourceTable.FormatCheck(reader);
        reader.ReportUnknownOptions();
        problems.AddRange(reader.Problems);
        return reader.Problems.Count == 0 ? new PrintSinkTable(options.TableName, output) : null;
    }

    public override Sink<Row, Task<string>> CreateSink() =>
        Sink.ForEach<Row>(row => _output.WriteLine(RowJsonWriter.ToJsonString(row)))
            .MapMaterializedValue(async done =>
            {
                await done.ConfigureAwait(false);
                await _output.FlushAsync().ConfigureAwait(false);
                return "printed to standard output";
            });
}
