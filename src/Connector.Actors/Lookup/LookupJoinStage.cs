using Akka.Streams;
using Akka.Streams.Stage;
using Akka.Streams.Supervision;
using Connector.Actors.Schema;

namespace Connector.Actors.Lookup;

/// <summary>
/// The stage of a <see cref="LookupJoin"/>: keeps up to <c>bufferCapacity</c> elements, runs up to
/// <c>parallelism</c> of their lookups at once and emits the joined rows in input order. Elements whose lookups have
/// finished wait in the buffer for earlier ones, so a slow response holds back the output but not the next requests.
/// A cache hit is joined at once, with no task and no hop through the actor's mailbox. A failed lookup fails the stage
/// with the lookup's own exception, unless a supervision strategy on the flow resumes or restarts, in which case the
/// element is dropped.
/// </summary>
internal sealed class LookupJoinStage : GraphStage<FlowShape<Row, Row>>
{
    private readonly LookupJoin _join;
    private readonly int _parallelism;
    private readonly int _bufferCapacity;

    public LookupJoinStage(LookupJoin join, int parallelism, int bufferCapacity)
    {
        _join = join;
        _parallelism = parallelism;
        _bufferCapacity = bufferCapacity;
        Shape = new FlowShape<Row, Row>(In, Out);
    }

    public Inlet<Row> In { get; } = new("httpLookupJoin.in");

    public Outlet<Row> Out { get; } = new("httpLookupJoin.out");

    public override FlowShape<Row, Row> Shape { get; }

    protected override Attributes InitialAttributes { get; } = Attributes.CreateName("httpLookupJoin");

    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this, inheritedAttributes);

    /// <summary>One element whose lookup has not been emitted yet. Slots are reused, so their callbacks are created once.</summary>
    private sealed class Slot
    {
        public Slot(Action<Slot> onCompleted)
        {
            OnLookupCompleted = () => onCompleted(this);
        }

        public Action OnLookupCompleted { get; }

        public Row Source { get; set; } = null!;

        /// <summary>The pending lookup, read once when it completes.</summary>
        public ValueTask<IReadOnlyList<Row>> Lookup { get; set; }

        public IReadOnlyList<Row>? Rows { get; set; }

        public bool IsDone { get; set; }

        public bool IsDropped { get; set; }
    }

    private sealed class Logic : InAndOutGraphStageLogic
    {
        private readonly LookupJoinStage _stage;
        private readonly Decider _decider;
        // Every buffered element in input order, and the ones among them whose lookup has not started yet.
        private readonly Queue<Slot> _pending;
        private readonly Queue<Slot> _waiting = new();
        private readonly Stack<Slot> _freeSlots = new();
        private readonly Action<Slot> _onSlotCompleted;

        // Reused for every element: the lookup copies the key values that it keeps beyond the call.
        private readonly object?[] _keys;

        // The element whose joined rows are being emitted, one per pull.
        private Row? _current;
        private IReadOnlyList<Row>? _currentRows;
        private int _currentIndex;

        // Lookups started and not yet completed, which is at most the join's parallelism.
        private int _inFlight;

        public Logic(LookupJoinStage stage, Attributes inheritedAttributes)
            : base(stage.Shape)
        {
            _stage = stage;
            _decider = inheritedAttributes.GetAttribute<ActorAttributes.SupervisionStrategy>(null)?.Decider ?? Deciders.StoppingDecider;
            _pending = new Queue<Slot>(Math.Min(stage._bufferCapacity, 1024));
            _keys = new object?[stage._join.KeyCount];
            _onSlotCompleted = GetAsyncCallback<Slot>(OnSlotCompleted);
            SetHandlers(stage.In, stage.Out, this);
        }

        public override void OnPush()
        {
            var source = Grab(_stage.In);
            if (_waiting.Count > 0 || _inFlight >= _stage._parallelism)
            {
                // Every request slot is taken: the element waits in the buffer, in input order, for one to free up.
                var waiting = RentSlot(source);
                _pending.Enqueue(waiting);
                _waiting.Enqueue(waiting);
                PullIfRoom();
                return;
            }

            ValueTask<IReadOnlyList<Row>> lookup;
            try
            {
                lookup = _stage._join.LookupAsync(source, _keys);
            }
            catch (Exception exception)
            {
                if (Decide(exception))
                {
                    PullIfRoom();
                }

                return;
            }

            if (lookup.IsCompletedSuccessfully && _pending.Count == 0 && _current is null)
            {
                // A cache hit with nothing ahead of it in line goes straight to the output.
                StartEmitting(source, lookup.Result);
            }
            else
            {
                var slot = RentSlot(source);
                _pending.Enqueue(slot);
                if (!Track(slot, lookup))
                {
                    return;
                }
            }

            Emit();
            PullIfRoom();
        }

        public override void OnPull()
        {
            Emit();
            PullIfRoom();
        }

        public override void PostStop()
        {
            // Elements still buffered when the stage fails or is cancelled leave the count with it.
            _stage._join.AddBuffered(-_pending.Count);
        }

        public override void OnUpstreamFinish()
        {
            if (_pending.Count == 0 && _current is null)
            {
                CompleteStage();
            }
        }

        private void OnSlotCompleted(Slot slot)
        {
            _inFlight--;
            Complete(slot, slot.Lookup);
            if (!slot.IsDone || !StartWaiting())
            {
                return;
            }

            Emit();
            PullIfRoom();
        }

        /// <summary>
        /// Starts the lookups of waiting elements, in input order, while request slots are free. Returns false when a
        /// lookup that failed at once failed the stage.
        /// </summary>
        private bool StartWaiting()
        {
            while (_waiting.Count > 0 && _inFlight < _stage._parallelism)
            {
                var slot = _waiting.Dequeue();
                ValueTask<IReadOnlyList<Row>> lookup;
                try
                {
                    lookup = _stage._join.LookupAsync(slot.Source, _keys);
                }
                catch (Exception exception)
                {
                    if (!Decide(exception))
                    {
                        return false;
                    }

                    slot.IsDropped = true;
                    slot.IsDone = true;
                    continue;
                }

                if (!Track(slot, lookup))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>
        /// Stores the result of a lookup that finished at once, or counts the lookup in flight until its callback runs.
        /// Returns false when the lookup's failure failed the stage.
        /// </summary>
        private bool Track(Slot slot, ValueTask<IReadOnlyList<Row>> lookup)
        {
            if (lookup.IsCompleted)
            {
                Complete(slot, lookup);
                return slot.IsDone;
            }

            _inFlight++;
            slot.Lookup = lookup;
            lookup.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(slot.OnLookupCompleted);
            return true;
        }

        /// <summary>Stores a finished lookup's rows. A failure fails the stage unless the decider drops the element.</summary>
        private void Complete(Slot slot, ValueTask<IReadOnlyList<Row>> lookup)
        {
            try
            {
                // Result rethrows the lookup's own exception rather than an AggregateException.
                slot.Rows = lookup.Result;
            }
            catch (Exception exception)
            {
                if (!Decide(exception))
                {
                    return;
                }

                slot.IsDropped = true;
            }

            slot.Lookup = default;
            slot.IsDone = true;
        }

        /// <summary>Returns true when the element is dropped and the stage goes on, false when the stage failed.</summary>
        private bool Decide(Exception exception)
        {
            if (_decider(exception) == Directive.Stop)
            {
                FailStage(exception);
                return false;
            }

            return true;
        }

        /// <summary>Pushes the next joined row if downstream wants one, moving on to finished lookups in input order.</summary>
        private void Emit()
        {
            while (IsAvailable(_stage.Out))
            {
                if (_current is not null)
                {
                    Push(_stage.Out, NextJoinedRow());
                    break;
                }

                if (_pending.Count == 0 || !_pending.Peek().IsDone)
                {
                    break;
                }

                var slot = _pending.Dequeue();
                _stage._join.AddBuffered(-1);
                if (!slot.IsDropped)
                {
                    StartEmitting(slot.Source, slot.Rows!);
                }

                ReturnSlot(slot);
            }

            if (_current is null && _pending.Count == 0 && IsClosed(_stage.In))
            {
                CompleteStage();
            }
        }

        private void StartEmitting(Row source, IReadOnlyList<Row> rows)
        {
            if (rows.Count == 0 && _stage._join.JoinType == JoinType.Inner)
            {
                return;
            }

            _current = source;
            _currentRows = rows;
            _currentIndex = 0;
            if (IsAvailable(_stage.Out))
            {
                Push(_stage.Out, NextJoinedRow());
            }
        }

        private Row NextJoinedRow()
        {
            var source = _current!;
            var rows = _currentRows!;
            Row joined;
            if (rows.Count == 0)
            {
                // A left join emits the element once with a lookup row of nulls.
                joined = _stage._join.JoinedWithNulls(source);
            }
            else
            {
                joined = _stage._join.Joined(source, rows[_currentIndex]);
            }

            _currentIndex++;
            if (_currentIndex >= rows.Count)
            {
                _current = null;
                _currentRows = null;
            }

            return joined;
        }

        private void PullIfRoom()
        {
            var inlet = _stage.In;
            if (_pending.Count < _stage._bufferCapacity && !HasBeenPulled(inlet) && !IsClosed(inlet))
            {
                Pull(inlet);
            }
        }

        private Slot RentSlot(Row source)
        {
            _stage._join.AddBuffered(1);
            var slot = _freeSlots.Count > 0 ? _freeSlots.Pop() : new Slot(_onSlotCompleted);
            slot.Source = source;
            return slot;
        }

        private void ReturnSlot(Slot slot)
        {
            slot.Source = null!;
            slot.Rows = null;
            slot.Lookup = default;
            slot.IsDone = false;
            slot.IsDropped = false;
            _freeSlots.Push(slot);
        }
    }
}
