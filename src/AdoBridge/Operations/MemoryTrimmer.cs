using System.Runtime;

namespace AdoBridge.Operations;

/// <summary>
/// Gives memory back to the system after a burst. Large requests (2 MB ingest bodies and the strings made from them)
/// land on the large-object heap; once the burst is over nothing allocates, so no collection runs and the heap keeps
/// every page it grew to (1.6 GB resident, idle, after 200 concurrent 2 MB ingests). When allocation has gone quiet and
/// the heap holds far more than is alive, one aggressive collection compacts it and returns the free pages, and asks the
/// shared array pool to drop its buffers. Cheap then: what is alive after a burst is small.
/// </summary>
internal sealed partial class MemoryTrimmer(TimeProvider clock, ILogger<MemoryTrimmer> logger) : BackgroundService
{
    /// <summary>How often to look.</summary>
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    /// <summary>Committed heap beyond the live data that is worth a collection (below it, the GC's own pace is fine).</summary>
    private const long SlackBytes = 256L * 1024 * 1024;

    /// <summary>Allocation in one interval below which the process counts as quiet (a steady trickle of requests allocates less).</summary>
    private const long QuietBytes = 64L * 1024 * 1024;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var allocated = GC.GetTotalAllocatedBytes();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Interval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var now = GC.GetTotalAllocatedBytes();
            var quiet = now - allocated < QuietBytes;
            allocated = now;
            var info = GC.GetGCMemoryInfo(GCKind.Any);
            var slack = info.TotalCommittedBytes - info.HeapSizeBytes + info.FragmentedBytes;
            if (!quiet || info.TotalCommittedBytes < SlackBytes || slack < SlackBytes)
            {
                continue;
            }

            var before = Environment.WorkingSet;
            GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            allocated = GC.GetTotalAllocatedBytes();
            var after = GC.GetGCMemoryInfo(GCKind.Any);
            LogTrimmed(logger, before / Mib, Environment.WorkingSet / Mib, info.TotalCommittedBytes / Mib, after.TotalCommittedBytes / Mib, after.HeapSizeBytes / Mib);
        }
    }

    private const long Mib = 1024 * 1024;

    [LoggerMessage(EventId = 30, Level = LogLevel.Information, Message = "Returned memory after a burst: resident {BeforeMiB} → {AfterMiB} MiB, GC heap committed {CommittedBeforeMiB} → {CommittedAfterMiB} MiB ({LiveMiB} MiB alive)")]
    private static partial void LogTrimmed(ILogger logger, long beforeMiB, long afterMiB, long committedBeforeMiB, long committedAfterMiB, long liveMiB);
}
