using System.Diagnostics;
using System.Text;
using System.Text.Json;
using AdoBridge.Webhooks.Normalization;

namespace AdoBridge.Bench;

/// <summary>
/// The cost of normalising one service-hook notification on the ingest path, in process (no server): the PR-created
/// sample, normalised from an already parsed document and parsed + normalised from its bytes. Moved here from the unit
/// tests, where it could only report: a timing on a shared machine is a measurement, not a test.
/// </summary>
internal static class NormalizerBench
{
    public static int Run(string[] args)
    {
        var rounds = Args.GetInt(args, "--rounds", 20);
        var iterations = Args.GetInt(args, "--iterations", 2_000);
        var utf8 = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Samples", "git.pullrequest.created.json"));
        using var document = JsonDocument.Parse(utf8);

        var normalizeOnly = Measure(() => ServiceHookNormalizer.TryNormalize(document.RootElement, out _, out _), rounds, iterations);
        var parseAndNormalize = Measure(() =>
        {
            using var parsed = JsonDocument.Parse(utf8);
            return ServiceHookNormalizer.TryNormalize(parsed.RootElement, out _, out _);
        }, rounds, iterations);

        Console.WriteLine($"git.pullrequest.created sample ({utf8.Length} bytes), best of {rounds} rounds × {iterations:N0} after 1 s of warm-up:");
        Console.WriteLine($"  normalise           {normalizeOnly.Wall,8:F2} µs wall  {normalizeOnly.Cpu,8:F2} µs CPU");
        Console.WriteLine($"  parse + normalise   {parseAndNormalize.Wall,8:F2} µs wall  {parseAndNormalize.Cpu,8:F2} µs CPU");
        return 0;
    }

    // The best of several rounds, in wall time and in process CPU time: on a shared machine the other rounds, and the
    // wall time of every round, also measure the neighbours. Process CPU time leaves out the time this thread waited.
    private static (double Wall, double Cpu) Measure(Func<bool> run, int rounds, int iterations)
    {
        // A second of warm-up: tiered compilation promotes hot methods in the background, late on a busy machine.
        // It also checks the sample still normalises, so the figures never time the error path.
        var warmUp = Stopwatch.StartNew();
        while (warmUp.ElapsedMilliseconds < 1_000)
        {
            if (!run())
            {
                throw new InvalidOperationException("The sample no longer normalises; the figures would time the error path.");
            }
        }

        var process = Process.GetCurrentProcess();
        var (wall, cpu) = (double.MaxValue, double.MaxValue);
        for (var round = 0; round < rounds; round++)
        {
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < iterations; i++)
            {
                run();
            }

            var elapsed = watch.Elapsed;
            process.Refresh();
            wall = Math.Min(wall, elapsed.TotalMicroseconds / iterations);
            cpu = Math.Min(cpu, (process.TotalProcessorTime - cpuBefore).TotalMicroseconds / iterations);
        }

        return (wall, cpu);
    }
}
