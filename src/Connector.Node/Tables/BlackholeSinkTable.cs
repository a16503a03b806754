using Akka.Streams.Dsl;
using Connector.Actors.Options;
using Connector.Actors.Schema;

namespace Connector.Node.Tables;

/// <summary>The <c>blackhole</c> sink: discards every row.</summary>
internal sealed class BlackholeSinkTable : SinkTable
{
    private BlackholeSinkTable(string name)
        : base(name)
    {
    }

    public static BlackholeSinkTable? Create(TableOptions options, List<ConfigurationProblem> problems)
    {
        var reader = new OptionReader(options, NodeConnectorOptions.BlackholeOptions);
        reader.ReportUnknownOptions();
        problems.AddRange(reader.Problems);
        return reader.Problems.Count == 0 ? new BlackholeSinkTable(options.TableName) : null;
    }

    public override Sink<Row, Task<string>> CreateSink() =>
        Sink.Ignore<Row>().MapMaterializedValue(async done =>
        {
            await done.ConfigureAwait(false);
            return "discarded";
        });
}
