using System.Diagnostics;
using System.Globalization;

namespace AdoBridge.Bench;

/// <summary>A process the benchmark starts and measures: its peak resident memory comes from /proc (VmHWM), its CPU time from the runtime.</summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process process;

    // Every child still running when the bench exits (normally, on an exception, or on SIGTERM from `timeout`) is killed,
    // so a failed run leaves no emulator or server behind to load the machine for the next one.
    private static readonly List<ChildProcess> Running = [];

    static ChildProcess() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        lock (Running)
        {
            foreach (var child in Running.ToList())
            {
                child.Dispose();
            }
        }
    };

    private ChildProcess(Process process)
    {
        this.process = process;
        lock (Running)
        {
            Running.Add(this);
        }
    }

    public int Id => process.Id;

    /// <summary>
    /// Starts `dotnet dll args`; its stderr lines go to <paramref name="stderr"/>, or to this process's stderr marked as the
    /// child's; its stdout lines to <paramref name="stdout"/>, or nowhere.
    /// </summary>
    public static ChildProcess Start(string dll, IEnumerable<string> args, IDictionary<string, string> environment, Action<string>? stderr = null, Action<string>? stdout = null)
    {
        stderr ??= line => Console.Error.WriteLine("  [child] " + line);
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { stdout?.Invoke(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { stderr(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ChildProcess(process);
    }

    /// <summary>Peak and current resident set size in MiB, from /proc/{pid}/status.</summary>
    public (double PeakMiB, double CurrentMiB) Memory()
    {
        double peak = 0, current = 0;
        foreach (var line in File.ReadLines($"/proc/{process.Id}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = Kib(line) / 1024.0;
            }
            else if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                current = Kib(line) / 1024.0;
            }
        }

        return (peak, current);
    }

    public TimeSpan CpuTime
    {
        get
        {
            process.Refresh();
            return process.TotalProcessorTime;
        }
    }

    /// <summary>The part of <see cref="CpuTime"/> spent in the kernel (system calls such as fsync, socket I/O).</summary>
    public TimeSpan KernelTime
    {
        get
        {
            process.Refresh();
            return process.PrivilegedProcessorTime;
        }
    }

    public void Dispose()
    {
        lock (Running)
        {
            if (!Running.Remove(this))
            {
                return;
            }
        }

        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }

        process.Dispose();
    }

    private static double Kib(string line) => double.Parse(line.Split(':')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
}
