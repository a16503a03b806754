using System.Runtime.InteropServices;

namespace Connector.Benchmarks;

/// <summary>
/// Reads how often the process's threads were switched off a core, voluntary and involuntary switches together, from
/// <c>getrusage(RUSAGE_SELF)</c>. The count includes threads that have exited. Each hop of work from one thread to
/// another that has to wake up costs such switches, so the count shows what the processor time per element alone
/// does not.
/// </summary>
internal static partial class ContextSwitchCounter
{
    private const int ResourceUsageSelf = 0;

    /// <summary>Returns the process's context switches so far, or null outside 64-bit Linux.</summary>
    public static long? Read()
    {
        if (!OperatingSystem.IsLinux() || !Environment.Is64BitProcess)
        {
            return null;
        }

        return GetResourceUsage(ResourceUsageSelf, out var usage) == 0
            ? usage.VoluntarySwitches + usage.InvoluntarySwitches
            : null;
    }

    [DllImport("libc", EntryPoint = "getrusage")]
#pragma warning disable SYSLIB1054 // LibraryImport would need unsafe code enabled for this one call.
    private static extern int GetResourceUsage(int who, out ResourceUsage usage);
#pragma warning restore SYSLIB1054

    /// <summary>Linux's <c>struct rusage</c> on 64-bit targets, where each field, the two timevals' included, is a long.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct ResourceUsage
    {
        public long UserSeconds;
        public long UserMicroseconds;
        public long SystemSeconds;
        public long SystemMicroseconds;
        public long MaxResidentSetKilobytes;
        public long SharedMemorySize;
        public long UnsharedDataSize;
        public long UnsharedStackSize;
        public long MinorFaults;
        public long MajorFaults;
        public long Swaps;
        public long BlockInputs;
        public long BlockOutputs;
        public long MessagesSent;
        public long MessagesReceived;
        public long Signals;
        public long VoluntarySwitches;
        public long InvoluntarySwitches;
    }
}
