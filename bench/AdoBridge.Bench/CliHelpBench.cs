using System.Diagnostics;
using System.Globalization;

namespace AdoBridge.Bench;

/// <summary>
/// How long `adobridge --help` takes from process start to exit (the issue's bound: 400 ms), through `dotnet adobridge.dll`
/// and through the apphost when there is one. The help must never build the web host; this shows it does not.
/// </summary>
internal static class CliHelpBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var runs = Args.GetInt(args, "--runs", 20);
        var warmup = Args.GetInt(args, "--warmup", 2);
        var dll = Path.Combine(AppContext.BaseDirectory, "adobridge.dll");
        var apphost = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "adobridge.exe" : "adobridge");
        // The floor on this machine now: a small .NET console app (this bench, printing its usage) started the same way.
        // What `adobridge --help` takes above it is its own work; what the floor takes is the runtime's start and the machine's load.
        var commands = new List<(string Name, string File, string[] Args)>
        {
            ("floor: dotnet AdoBridge.Bench.dll (usage)", "dotnet", [typeof(CliHelpBench).Assembly.Location]),
            ("dotnet adobridge.dll --help", "dotnet", [dll, "--help"]),
        };
        if (File.Exists(apphost))
        {
            commands.Add(("adobridge --help (apphost)", apphost, ["--help"]));
        }

        commands.Add(("dotnet adobridge.dll connections list --help", "dotnet", [dll, "connections", "list", "--help"]));
        Console.WriteLine($"cli-help: {runs} runs after {warmup} warm-up runs each, the commands taken in turn; wall time from start to exit, CPU time (user + system, 10 ms ticks); load average {File.ReadAllText("/proc/loadavg").Trim()}");
        var walls = commands.Select(_ => new List<double>()).ToList();
        var cpus = commands.Select(_ => new List<double>()).ToList();
        for (var i = 0; i < warmup + runs; i++)
        {
            // Interleaved, so a change in the machine's load falls on every command alike.
            for (var c = 0; c < commands.Count; c++)
            {
                var (elapsed, processor) = await RunOnceAsync(commands[c].File, commands[c].Args, allowUsageExit: c == 0);
                if (i >= warmup)
                {
                    walls[c].Add(elapsed);
                    cpus[c].Add(processor);
                }
            }
        }

        for (var c = 0; c < commands.Count; c++)
        {
            var (name, wall, cpu) = (commands[c].Name, walls[c], cpus[c]);
            wall.Sort();
            cpu.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {name,-46} wall p50 {Percentile(wall, 0.5),6:F0} ms  p90 {Percentile(wall, 0.9),6:F0} ms  max {wall[^1],6:F0} ms   CPU p50 {Percentile(cpu, 0.5),6:F0} ms"));
        }

        return 0;
    }

    private static async Task<(double Wall, double Cpu)> RunOnceAsync(string file, string[] arguments, bool allowUsageExit)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var cpuBefore = ChildrenCpuMilliseconds();
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        var drain = Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
        await process.WaitForExitAsync();
        var wall = clock.Elapsed.TotalMilliseconds;
        await drain;
        if (process.ExitCode != 0 && !(allowUsageExit && process.ExitCode == 2))
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}.");
        }

        return (wall, ChildrenCpuMilliseconds() - cpuBefore);
    }

    // The CPU time of reaped children (cutime + cstime in /proc/self/stat, 10 ms ticks): an exited Process cannot say its own.
    private static double ChildrenCpuMilliseconds()
    {
        if (!File.Exists("/proc/self/stat"))
        {
            return double.NaN;
        }

        var stat = File.ReadAllText("/proc/self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // Fields after the command name start at field 3 (state); cutime and cstime are fields 16 and 17.
        return (long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture)) * 10.0;
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
