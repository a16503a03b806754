using Akka;
using Akka.Streams;
using Akka.Streams.Stage;
using Connector.Actors.Schema;

namespace Connector.Actors.Sink;

/// <summary>
/// The last stage of an HTTP sink: sends each request's rows with at most <c>sink.requests.max-inflight</c> requests
/// in flight, in whatever order they finish. The materialized task completes when upstream has finished and every
/// request has settled. After the first failure, of a request or of upstream, the stage stops taking rows, waits for
/// its other requests to settle so that the counts include them, and then fails the task with that first exception.
/// </summary>
internal sealed class SinkSendStage : GraphStageWithMaterializedValue<SinkShape<Row[]>, Task<Done>>
{
    private readonly int _maxInflight;
    private readonly Func<Row[], ValueTask<Done>> _send;

    /// <param name="maxInflight">Requests in flight at most.</param>
    /// <param name="send">Sends one request's rows. Its task is read once, when it completes.</param>
    public SinkSendStage(int maxInflight, Func<Row[], ValueTask<Done>> send)
    {
        _maxInflight = maxInflight;
        _send = send;
        Shape = new SinkShape<Row[]>(In);
    }

    public Inlet<Row[]> In { get; } = new("httpSinkSend.in");

    public override SinkShape<Row[]> Shape { get; }

    protected override Attributes InitialAttributes { get; } = Attributes.CreateName("httpSinkSend");

    public override ILogicAndMaterializedValue<Task<Done>> CreateLogicAndMaterializedValue(Attributes inheritedAttributes)
    {
        var completion = new TaskCompletionSource<Done>(TaskCreationOptions.RunContinuationsAsynchronously);
        return new LogicAndMaterializedValue<Task<Done>>(new Logic(this, completion), completion.Task);
    }

    /// <summary>A request in flight. Slots are reused, so their callbacks are created once.</summary>
    private sealed class Slot
    {
        public Slot(Action<Slot> onCompleted)
        {
            OnSendCompleted = () => onCompleted(this);
        }

        public Action OnSendCompleted { get; }

        public ValueTask<Done> Send { get; set; }
    }

    private sealed class Logic : InGraphStageLogic
    {
        private readonly SinkSendStage _stage;
        private readonly TaskCompletionSource<Done> _completion;
        private readonly Stack<Slot> _freeSlots = new();
        private readonly Action<Slot> _onSlotCompleted;
        private int _inflight;
        private Exception? _failure;

        public Logic(SinkSendStage stage, TaskCompletionSource<Done> completion)
            : base(stage.Shape)
        {
            _stage = stage;
            _completion = completion;
            _onSlotCompleted = GetAsyncCallback<Slot>(OnSlotCompleted);
            SetHandler(stage.In, this);
        }

        public override void PreStart()
        {
            // The stage outlives its closed inlet while requests are in flight, and stops itself once they settle.
            SetKeepGoing(true);
            Pull(_stage.In);
        }

        public override void OnPush()
        {
            ValueTask<Done> send;
            try
            {
                send = _stage._send(Grab(_stage.In));
            }
            catch (Exception exception)
            {
                // Settled like a failed request, so the run still waits for its other requests.
                send = ValueTask.FromException<Done>(exception);
            }

            _inflight++;
            var slot = _freeSlots.Count > 0 ? _freeSlots.Pop() : new Slot(_onSlotCompleted);
            slot.Send = send;
            if (send.IsCompleted)
            {
                OnSlotCompleted(slot);
                return;
            }

            send.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(slot.OnSendCompleted);
            PullIfRoom();
        }

        public override void OnUpstreamFinish() => CompleteIfSettled();

        public override void OnUpstreamFailure(Exception e)
        {
            _failure ??= e;
            CompleteIfSettled();
        }

        public override void PostStop()
        {
            // A stage stopped by its materializer's shutdown leaves requests unsettled, which the task must not hide.
            _completion.TrySetException(new AbruptStageTerminationException(this));
        }

        private void OnSlotCompleted(Slot slot)
        {
            var send = slot.Send;
            slot.Send = default;
            _freeSlots.Push(slot);
            _inflight--;
            try
            {
                send.GetAwaiter().GetResult();
            }
            catch (Exception exception)
            {
                _failure ??= exception;
                if (!IsClosed(_stage.In))
                {
                    Cancel(_stage.In);
                }
            }

            CompleteIfSettled();
            PullIfRoom();
        }

        private void CompleteIfSettled()
        {
            if (_inflight > 0 || !IsClosed(_stage.In))
            {
                return;
            }

            if (_failure is not null)
            {
                _completion.TrySetException(_failure);
                FailStage(_failure);
            }
            else
            {
                _completion.TrySetResult(Done.Instance);
                CompleteStage();
            }
        }

        private void PullIfRoom()
        {
            var inlet = _stage.In;
            if (_inflight < _stage._maxInflight && !HasBeenPulled(inlet) && !IsClosed(inlet))
            {
                Pull(inlet);
            }
        }
    }
}
