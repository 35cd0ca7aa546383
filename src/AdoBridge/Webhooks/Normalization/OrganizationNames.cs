namespace AdoBridge.Webhooks.Normalization;

/// <summary>Finds the organisation (account) name in Azure DevOps URLs.</summary>
/// <remarks>
/// Services URLs come in two forms and the published samples mix them: <c>https://dev.azure.com/{org}/…</c> (also
/// <c>vssps.dev.azure.com/{org}</c>, <c>vsrm.dev.azure.com/{org}</c>) and <c>https://{org}.visualstudio.com/…</c>.
/// The emulator keeps the real host as the first path segment below its own base
/// (<c>http://127.0.0.1:5000/dev.azure.com/{org}/</c>), so that form is recognised too. On Azure DevOps Server the
/// collection plays the organisation's part; it is only taken from a base URL (<c>https://server/tfs/{collection}/</c>),
/// because a resource URL there cannot be told apart from a project path.
/// </remarks>
internal static class OrganizationNames
{
    private const string DevAzureHost = "dev.azure.com";
    private const string VisualStudioSuffix = ".visualstudio.com";

    /// <summary>From a <c>resourceContainers.*.baseUrl</c>: the organisation (or, on Server, the collection) it names.</summary>
    public static string? FromBaseUrl(string? url) => Parse(url, isBaseUrl: true);

    /// <summary>From any REST or web URL of a resource; null when the URL does not say.</summary>
    public static string? FromResourceUrl(string? url) => Parse(url, isBaseUrl: false);

    private static string? Parse(string? url, bool isBaseUrl)
    {
        if (string.IsNullOrEmpty(url) || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return null;
        }

        var host = uri.Host;
        var path = uri.AbsolutePath.AsSpan().Trim('/');
        if (host.Equals(DevAzureHost, StringComparison.OrdinalIgnoreCase) || host.EndsWith("." + DevAzureHost, StringComparison.OrdinalIgnoreCase))
        {
            return Segment(path, 0);
        }

        if (host.EndsWith(VisualStudioSuffix, StringComparison.OrdinalIgnoreCase))
        {
            // Only {org}.visualstudio.com: service hosts such as spsprodwus22.vssps.visualstudio.com name no organisation.
            var label = host[..^VisualStudioSuffix.Length];
            return label.Length > 0 && !label.Contains('.', StringComparison.Ordinal) ? label : null;
        }

        var index = 0;
        foreach (var range in path.Split('/'))
        {
            if (path[range].Equals(DevAzureHost, StringComparison.OrdinalIgnoreCase))
            {
                return Segment(path, index + 1);
            }

            index++;
        }

        if (!isBaseUrl || path.IsEmpty)
        {
            return null;
        }

        var last = path.LastIndexOf('/');
        return Unescape(last < 0 ? path : path[(last + 1)..]);
    }

    private static string? Segment(ReadOnlySpan<char> path, int wanted)
    {
        var index = 0;
        foreach (var range in path.Split('/'))
        {
            if (index++ == wanted)
            {
                return Unescape(path[range]);
            }
        }

        return null;
    }

    private static string? Unescape(ReadOnlySpan<char> segment) =>
        segment.IsEmpty || segment[0] == '_' ? null : Uri.UnescapeDataString(segment.ToString());
}
