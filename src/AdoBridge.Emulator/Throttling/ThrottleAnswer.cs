using System.Globalization;

namespace AdoBridge.Emulator;

/// <summary>The headers and the TF400733 body the service sends when it throttles (rate-limits.md).</summary>
internal static class ThrottleAnswer
{
    public static Dictionary<string, string> Headers(EmulatorThrottle rule, DateTimeOffset now)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["X-RateLimit-Resource"] = rule.Resource,
            ["X-RateLimit-Limit"] = rule.Limit.ToString(CultureInfo.InvariantCulture),
            ["X-RateLimit-Remaining"] = (rule.Block ? 0 : rule.Remaining).ToString(CultureInfo.InvariantCulture),
            ["X-RateLimit-Reset"] = now.AddSeconds(rule.Block ? rule.RetryAfterSeconds : 300).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        };
        if (rule.Block)
        {
            headers["Retry-After"] = rule.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        }

        // The service sends X-RateLimit-Delay only once it delays requests.
        if (rule.Block || rule.DelaySeconds > 0)
        {
            headers["X-RateLimit-Delay"] = (rule.Block ? Math.Max(rule.DelaySeconds, rule.RetryAfterSeconds) : rule.DelaySeconds).ToString("0.000", CultureInfo.InvariantCulture);
        }

        return headers;
    }

    public static EmulatorFault Blocked(EmulatorThrottle rule, DateTimeOffset now) => new(
        "*",
        rule.PathPrefix,
        429,
        1,
        Headers(rule, now),
        System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["$id"] = "1",
            ["innerException"] = null,
            ["message"] = $"TF400733: The request has been canceled: Request was blocked due to exceeding usage of resource '{rule.Resource}' in namespace 'User'. For more information on why your request was blocked, see the topic \"Rate limits\" on the Microsoft Web site (https://go.microsoft.com/fwlink/?LinkId=823950).",
            ["typeName"] = "Microsoft.TeamFoundation.Framework.Server.RequestBlockedException, Microsoft.TeamFoundation.Framework.Server",
            ["typeKey"] = "RequestBlockedException",
            ["errorCode"] = 0,
            ["eventId"] = 3000,
        }),
        "application/json; charset=utf-8");
}
