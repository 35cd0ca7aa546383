using System.Diagnostics;
using Microsoft.AspNetCore.Routing;

namespace AdoBridge.Telemetry;

/// <summary>
/// Keeps secrets out of request spans. Query strings are already redacted by the instrumentation; this replaces the path
/// of routes whose path itself is a credential (a hook's ingest URL, a connect link's token) with the route's template,
/// and the ingest URL in client spans (in sandbox mode the emulator, in this process, posts service hooks to it).
/// </summary>
internal static class TraceScrubbing
{
    private const string IngestPrefix = "/hooks/ado/";

    public static void ScrubSecretPath(Activity activity, HttpResponse response)
    {
        if (response.HttpContext.GetEndpoint() is RouteEndpoint { RoutePattern: var pattern }
            && (pattern.RawText?.StartsWith(IngestPrefix, StringComparison.Ordinal) == true
                || pattern.Parameters.Any(p => p.Name.Equals("token", StringComparison.OrdinalIgnoreCase))))
        {
            activity.SetTag("url.path", pattern.RawText);
        }
    }

    public static void ScrubSecretUrl(Activity activity, HttpRequestMessage request)
    {
        if (request.RequestUri is { } uri && uri.AbsolutePath.Contains(IngestPrefix, StringComparison.Ordinal))
        {
            var path = uri.AbsolutePath;
            activity.SetTag("url.full", uri.GetLeftPart(UriPartial.Authority) + path[..(path.IndexOf(IngestPrefix, StringComparison.Ordinal) + IngestPrefix.Length)] + "{path}");
        }
    }
}
