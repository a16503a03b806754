using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace Connector.Benchmarks;

/// <summary>
/// Attributes allocated bytes to types from the runtime's <c>GCAllocationTick</c> events, which fire about once per
/// 100 KB allocated and name the type whose allocation crossed that mark. The shares are therefore samples, and events
/// arrive on a dispatch thread, so a few may be counted under the neighbouring iteration.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const string RuntimeSource = "Microsoft-Windows-DotNETRuntime";
    private const long GcKeyword = 0x1;

    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, long>> _bytesByLabel = new();
    private volatile string? _label;

    /// <summary>Attributes the following samples to <paramref name="label"/>, or drops them when it is null.</summary>
    public void Attribute(string? label) => _label = label;

    /// <summary>Writes the types with the largest sampled shares of the bytes attributed to a label.</summary>
    public void WriteTop(TextWriter output, string label, int count)
    {
        if (!_bytesByLabel.TryGetValue(label, out var bytesByType) || bytesByType.IsEmpty)
        {
            output.WriteLine($"  {label}: no allocation samples.");
            return;
        }

        var total = bytesByType.Values.Sum();
        output.WriteLine($"  {label}: sampled types by share of allocated bytes");
        foreach (var (type, bytes) in bytesByType.OrderByDescending(pair => pair.Value).Take(count))
        {
            output.WriteLine($"    {bytes * 100.0 / total,5:0.0}% {type}");
        }
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == RuntimeSource)
        {
            EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        var label = _label;
        if (label is null || eventData.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) != true ||
            eventData.PayloadNames is not { } names || eventData.Payload is not { } payload)
        {
            return;
        }

        var typeIndex = names.IndexOf("TypeName");
        var amountIndex = names.IndexOf("AllocationAmount64");
        if (amountIndex < 0)
        {
            amountIndex = names.IndexOf("AllocationAmount");
        }

        if (typeIndex < 0 || amountIndex < 0)
        {
            return;
        }

        var type = payload[typeIndex] as string ?? "(unknown type)";
        var bytes = Convert.ToInt64(payload[amountIndex], System.Globalization.CultureInfo.InvariantCulture);
        _bytesByLabel.GetOrAdd(label, _ => new ConcurrentDictionary<string, long>()).AddOrUpdate(type, bytes, (_, sum) => sum + bytes);
    }
}
