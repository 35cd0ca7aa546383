namespace AdoBridge.Emulator;

/// <summary>A rate-limit rule for requests whose path (relative to the emulator base) starts with <paramref name="PathPrefix"/>:
/// with <paramref name="Block"/> they get 429 + TF400733 and the X-RateLimit-* headers, otherwise they pass with the
/// headers only ("near the limit"). The rule lasts for <paramref name="Count"/> requests and/or
/// <paramref name="Seconds"/> on the emulator clock, whichever ends first (at least one must be set).</summary>
public sealed record EmulatorThrottle(
    string PathPrefix,
    bool Block = true,
    int? Count = null,
    double? Seconds = null,
    int RetryAfterSeconds = 30,
    string Resource = "Core",
    int Limit = 200,
    int Remaining = 0,
    double DelaySeconds = 0)
{
    /// <summary>A rule for every REST call of one organisation.</summary>
    public static EmulatorThrottle ForOrganization(string organization, bool block = true, int? count = null, double? seconds = null) =>
        new($"/{EmulatorDefaults.DevOpsHost}/{organization}", block, count, seconds);
}
