using Akka.Streams;
using Akka.Streams.Stage;
using Connector.Actors.Schema;

namespace Connector.Actors.Sink;

/// <summary>
/// Cuts the rows of a sink into the rows of its requests. Rows are grouped into flushes of at most
/// <c>sink.batch.max-size</c> rows, or whatever arrived within <c>sink.flush-buffer.timeout</c> of a flush's first row,
/// and each flush is cut into requests of at most <c>http.sink.request.batch.size</c> rows (one in single mode).
/// Finished requests wait for a free request slot, and the stage stops pulling while they hold
/// <c>sink.requests.max-buffered</c> rows. Rows are encoded later, by the request, so that encoding runs on every core.
/// </summary>
internal sealed class SinkChunkStage : GraphStage<FlowShape<Row, Row[]>>
{
    private readonly SinkSettings _settings;
    private readonly SinkCounters _counters;

    public SinkChunkStage(SinkSettings settings, SinkCounters counters)
    {
        _settings = settings;
        _counters = counters;
        Shape = new FlowShape<Row, Row[]>(In, Out);
    }

    public Inlet<Row> In { get; } = new("httpSinkChunk.in");

    public Outlet<Row[]> Out { get; } = new("httpSinkChunk.out");

    public override FlowShape<Row, Row[]> Shape { get; }

    protected override Attributes InitialAttributes { get; } = Attributes.CreateName("httpSinkChunk");

    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

    private sealed class Logic : TimerGraphStageLogic, IInHandler, IOutHandler
    {
        private const string FlushTimer = "flush";

        private readonly SinkChunkStage _stage;
        private readonly SinkSettings _settings;
        private readonly int _rowsPerRequest;
        private readonly Queue<Row[]> _ready = new();
        private readonly List<Row> _request;
        private int _readyRows;
        private int _flushRows;

        public Logic(SinkChunkStage stage)
            : base(stage.Shape)
        {
            _stage = stage;
            _settings = stage._settings;
            _rowsPerRequest = _settings.Mode == SinkRequestMode.Batch ? Math.Min(_settings.RequestBatchSize, _settings.BatchMaxSize) : 1;
            _request = new List<Row>(Math.Min(_rowsPerRequest, 1024));
            SetHandler(stage.In, this);
            SetHandler(stage.Out, this);
        }

        public override void PreStart() => Pull(_stage.In);

        public void OnPush()
        {
            var row = Grab(_stage.In);
            _stage._counters.AddReceived();
            if (_flushRows == 0)
            {
                ScheduleOnce(FlushTimer, _settings.FlushBufferTimeout);
            }

            _request.Add(row);
            _flushRows++;
            if (_flushRows >= _settings.BatchMaxSize)
            {
                EndFlush();
            }
            else if (_request.Count == _rowsPerRequest)
            {
                EndRequest();
            }

            EmitReady();
            PullIfRoom();
        }

        public void OnUpstreamFinish()
        {
            EndFlush();
            EmitReady();
        }

        public void OnUpstreamFailure(Exception e) => FailStage(e);

        public void OnPull()
        {
            EmitReady();
            PullIfRoom();
        }

        public void OnDownstreamFinish(Exception cause) => InternalOnDownstreamFinish(cause);

        protected override void OnTimer(object timerKey)
        {
            EndFlush();
            EmitReady();
            PullIfRoom();
        }

        /// <summary>Ends the flush: its last request is finished however few rows it contains.</summary>
        private void EndFlush()
        {
            CancelTimer(FlushTimer);
            if (_request.Count > 0)
            {
                EndRequest();
            }

            _flushRows = 0;
        }

        private void EndRequest()
        {
            var rows = _request.ToArray();
            _request.Clear();
            _ready.Enqueue(rows);
            _readyRows += rows.Length;
        }

        private void EmitReady()
        {
            if (_ready.Count > 0 && IsAvailable(_stage.Out))
            {
                var rows = _ready.Dequeue();
                _readyRows -= rows.Length;
                Push(_stage.Out, rows);
            }

            if (_ready.Count == 0 && IsClosed(_stage.In))
            {
                CompleteStage();
            }
        }

        private void PullIfRoom()
        {
            // Rows of the request being filled do not count, so that a request can always fill even when the limit
            // is smaller than a request.
            var inlet = _stage.In;
            if (_readyRows < _settings.MaxBuffered && !HasBeenPulled(inlet) && !IsClosed(inlet))
            {
                Pull(inlet);
            }
        }
    }
}
