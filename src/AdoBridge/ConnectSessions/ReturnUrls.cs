namespace AdoBridge.ConnectSessions;

/// <summary>
/// Return URLs must match an allow-list entry by scheme, host and port exactly, and by path prefix on a segment
/// boundary (`https://app.example/settings` allows `/settings/azure` but not `/settings-evil`). No open redirects.
/// </summary>
internal static class ReturnUrls
{
    public static bool IsAllowed(string candidate, IEnumerable<string> allowList)
    {
        if (!Uri.TryCreate(candidate, UriKind.Absolute, out var url) || url.UserInfo.Length > 0 || url.Fragment.Length > 0
            || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            return false;
        }

        foreach (var entry in allowList)
        {
            if (!Uri.TryCreate(entry, UriKind.Absolute, out var allowed))
            {
                continue;
            }

            if (!string.Equals(url.Scheme, allowed.Scheme, StringComparison.OrdinalIgnoreCase)
                || !string.Equals(url.IdnHost, allowed.IdnHost, StringComparison.OrdinalIgnoreCase)
                || url.Port != allowed.Port)
            {
                continue;
            }

            var prefix = allowed.AbsolutePath;
            var path = url.AbsolutePath;
            if (path == prefix || prefix.EndsWith('/') && path.StartsWith(prefix, StringComparison.Ordinal)
                || path.StartsWith(prefix + "/", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Sandbox mode lets the connect flow return to any page on this machine (`localhost`, `127.0.0.1`, `[::1]`, any port).</summary>
    public static bool IsLoopback(string candidate)
        => Uri.TryCreate(candidate, UriKind.Absolute, out var url) && url.UserInfo.Length == 0 && url.Fragment.Length == 0
            && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp)
            && (url.IdnHost is "localhost" or "127.0.0.1" or "[::1]" || url.IdnHost == "::1");

    /// <summary>Adds query parameters to a return URL, keeping any it already has.</summary>
    public static string With(string returnUrl, params (string Key, string? Value)[] parameters)
    {
        var extra = string.Join('&', parameters.Where(p => p.Value is not null).Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value!)}"));
        return returnUrl + (returnUrl.Contains('?', StringComparison.Ordinal) ? "&" : "?") + extra;
    }
}
