using Akka;
using Akka.Streams.Dsl;
using Connector.Actors.Schema;
using Connector.Actors.Sink;
using static Connector.Actors.Tests.Sink.SinkTestData;

namespace Connector.Actors.Tests.Sink;

/// <summary>Tests of how the sink's send stage settles its requests and reports the first failure.</summary>
public sealed class SinkSendStageTests : IClassFixture<ActorSystemFixture>
{
    private readonly ActorSystemFixture _actors;

    public SinkSendStageTests(ActorSystemFixture actors)
    {
        _actors = actors;
    }

    [Fact]
    public async Task SendThrows_WaitsThenFailsWithIt()
    {
        // The first request stays in flight until released; sending the second throws before it returns a task.
        var first = new TaskCompletionSource<Done>(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        ValueTask<Done> Send(Row[] rows) => Interlocked.Increment(ref calls) == 1
            ? new ValueTask<Done>(first.Task)
            : throw new InvalidOperationException("encoding broke");

        var completion = Source.From(new[] { Orders(1), Orders(1) })
            .RunWith(Akka.Streams.Dsl.Sink.FromGraph(new SinkSendStage(4, Send)), _actors.Materializer);

        await Task.Delay(300);
        Assert.False(completion.IsCompleted);
        first.SetResult(Done.Instance);
        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => completion.WaitAsync(RunTimeout));
        Assert.Equal("encoding broke", exception.Message);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task AllSettled_Completes()
    {
        var sent = 0;
        ValueTask<Done> Send(Row[] rows)
        {
            Interlocked.Add(ref sent, rows.Length);
            return new ValueTask<Done>(Task.Run(() => Done.Instance));
        }

        await Source.From(Enumerable.Range(0, 50).Select(_ => Orders(3)))
            .RunWith(Akka.Streams.Dsl.Sink.FromGraph(new SinkSendStage(4, Send)), _actors.Materializer)
            .WaitAsync(RunTimeout);

        Assert.Equal(150, sent);
    }
}
