using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace AdoBridge.AzureDevOps;

/// <summary>
/// The highest REST API version each Azure DevOps Server collection has said it supports. Actions ask for 7.1; Server
/// 2020 supports up to 6.0 and Server 2019 up to 5.0, and they answer a newer version with 400
/// VssVersionOutOfRangeException, whose message names the latest version they support. That ceiling is kept per
/// collection URL (in memory: relearnt after a restart with one refused call), and later calls ask for it directly.
/// </summary>
internal sealed partial class ApiVersionCeilings
{
    public const string OutOfRangeTypeKey = "VssVersionOutOfRangeException";

    private readonly ConcurrentDictionary<string, Version> ceilings = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The version to ask <paramref name="baseUrl"/> for: <paramref name="wanted"/>, or the collection's ceiling when
    /// that is lower ("6.0" for "7.1"; "6.0-preview" for "7.1-preview.4": within a preview the resource version is left
    /// to the server, since an older server's numbering differs).
    /// </summary>
    public string For(string baseUrl, string wanted)
    {
        if (!ceilings.TryGetValue(baseUrl, out var ceiling) || Parse(wanted) is not { } version || version <= ceiling)
        {
            return wanted;
        }

        var text = ceiling.ToString(2);
        return wanted.Contains("-preview", StringComparison.OrdinalIgnoreCase) ? text + "-preview" : text;
    }

    /// <summary>
    /// Reads the supported version out of a VssVersionOutOfRangeException message and keeps it if it lowers what
    /// <paramref name="baseUrl"/> is asked for; false when the message names none or nothing changes (no retry then).
    /// </summary>
    public bool Learn(string baseUrl, string asked, string? message)
    {
        if (message is null || LatestSupported().Match(message) is not { Success: true } match
            || !Version.TryParse(match.Groups[1].Value, out var parsed) || Parse(asked) is not { } askedVersion)
        {
            return false;
        }

        var latest = new Version(parsed.Major, Math.Max(0, parsed.Minor));
        if (latest >= askedVersion)
        {
            return false;
        }

        ceilings.AddOrUpdate(baseUrl, latest, (_, known) => latest < known ? latest : known);
        return true;
    }

    private static Version? Parse(string apiVersion)
    {
        var dash = apiVersion.IndexOf('-', StringComparison.Ordinal);
        return Version.TryParse(dash < 0 ? apiVersion : apiVersion[..dash], out var v) ? new Version(v.Major, Math.Max(0, v.Minor)) : null;
    }

    // "The requested REST API version of 7.1 is out of range for this server. The latest REST API version this server supports is 6.0."
    [GeneratedRegex(@"latest REST API version this server supports is (\d+\.\d+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LatestSupported();
}
