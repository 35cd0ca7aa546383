using System.Diagnostics;
using System.Text;
using System.Text.Json;
using AdoBridge.Webhooks.Normalization;
using Xunit.Abstractions;

namespace AdoBridge.UnitTests.Webhooks;

/// <summary>A micro-check of the cost on the ingest path. It reports, it does not assert a time: shared CI machines are
/// too noisy for a timing assertion that never flakes. Run with --logger "console;verbosity=detailed" to see the figures.</summary>
public sealed class NormalizerSpeedTests(ITestOutputHelper output)
{
    [Fact]
    public void PullRequestSample_NormalizesInMicroseconds()
    {
        var text = HookSamples.Text("git.pullrequest.created.json");
        var utf8 = Encoding.UTF8.GetBytes(text);
        using var document = JsonDocument.Parse(utf8);

        var normalizeOnly = Measure(() => ServiceHookNormalizer.TryNormalize(document.RootElement, out _, out _));
        var parseAndNormalize = Measure(() =>
        {
            using var parsed = JsonDocument.Parse(utf8);
            return ServiceHookNormalizer.TryNormalize(parsed.RootElement, out _, out _);
        });

        output.WriteLine($"git.pullrequest.created sample ({utf8.Length} bytes), best of 20 rounds × 2,000 after 1 s of warm-up: "
            + $"normalise {normalizeOnly.Wall:F2} µs wall / {normalizeOnly.Cpu:F2} µs CPU, parse + normalise {parseAndNormalize.Wall:F2} µs wall / {parseAndNormalize.Cpu:F2} µs CPU");
        normalizeOnly.Wall.ShouldBeGreaterThan(0);
    }

    // The best of several rounds, in wall time and in process CPU time: on a shared machine the other rounds, and the
    // wall time of every round, also measure the neighbours. Process CPU time leaves out the time this thread waited.
    private static (double Wall, double Cpu) Measure(Func<bool> run)
    {
        // A second of warm-up: tiered compilation promotes hot methods in the background, late on a busy machine.
        var warmUp = Stopwatch.StartNew();
        while (warmUp.ElapsedMilliseconds < 1_000)
        {
            run().ShouldBeTrue();
        }

        const int Rounds = 20, Iterations = 2_000;
        var process = Process.GetCurrentProcess();
        var (wall, cpu) = (double.MaxValue, double.MaxValue);
        for (var round = 0; round < Rounds; round++)
        {
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < Iterations; i++)
            {
                run();
            }

            var elapsed = watch.Elapsed;
            process.Refresh();
            wall = Math.Min(wall, elapsed.TotalMicroseconds / Iterations);
            cpu = Math.Min(cpu, (process.TotalProcessorTime - cpuBefore).TotalMicroseconds / Iterations);
        }

        return (wall, cpu);
    }
}
