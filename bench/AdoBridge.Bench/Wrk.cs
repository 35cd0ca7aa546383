using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace AdoBridge.Bench;

/// <summary>What wrk reported for one run.</summary>
internal sealed record WrkResult(double Rps, double P50, double P99, long Requests, long Non2xx, long SocketErrors)
{
    /// <summary>Requests answered 2xx or 3xx.</summary>
    public long Succeeded => Requests - Non2xx;
}

/// <summary>Runs wrk (Debian's package) on loopback and reads its figures.</summary>
internal static partial class Wrk
{
    public static WrkResult Run(string url, string? authorization, int connections, int seconds, string? script = null)
    {
        var info = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "-t", connections > 1 ? "2" : "1", "-c", connections.ToString(CultureInfo.InvariantCulture), "-d", $"{seconds}s", "--latency" })
        {
            info.ArgumentList.Add(a);
        }

        if (authorization is not null)
        {
            info.ArgumentList.Add("-H");
            info.ArgumentList.Add("Authorization: " + authorization);
        }

        if (script is not null)
        {
            info.ArgumentList.Add("-s");
            info.ArgumentList.Add(script);
        }

        info.ArgumentList.Add(url);
        Process started;
        try
        {
            started = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new MissingToolException("wrk is not installed (Debian: apt-get install wrk).");
        }

        using var process = started;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        double Ms(string label)
        {
            var m = Regex.Match(output, $@"\s{label}\s+([\d.]+)(us|ms|s)");
            var v = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            return m.Groups[2].Value switch { "us" => v / 1000, "s" => v * 1000, _ => v };
        }

        var rps = double.Parse(RequestsPerSecond().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var requests = long.Parse(RequestCount().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var non2xx = NonSuccess().Match(output) is { Success: true } n ? long.Parse(n.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        var errors = SocketErrors().Match(output) is { Success: true } e
            ? e.Groups.Values.Skip(1).Sum(g => long.Parse(g.Value, CultureInfo.InvariantCulture))
            : 0;
        return new WrkResult(rps, Ms("50%"), Ms("99%"), requests, non2xx, errors);
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex RequestCount();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex NonSuccess();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrors();
}

/// <summary>A program the bench runs is not on this machine: the message says how to install it.</summary>
internal sealed class MissingToolException(string message) : Exception(message);
