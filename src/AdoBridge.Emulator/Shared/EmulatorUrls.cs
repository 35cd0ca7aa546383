using Microsoft.AspNetCore.Http;

namespace AdoBridge.Emulator;

/// <summary>Route metadata carrying the prefix the emulator was mapped under.</summary>
internal sealed record EmulatorPrefixMetadata(string Prefix);

internal static class EmulatorUrls
{
    public static string Prefix(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<EmulatorPrefixMetadata>()?.Prefix ?? string.Empty;

    /// <summary>Emulator base URL without a trailing slash, e.g. "http://127.0.0.1:5000/_emulator".</summary>
    public static string Base(HttpContext context)
    {
        var r = context.Request;
        return $"{r.Scheme}://{r.Host}{r.PathBase}{Prefix(context)}";
    }

    /// <summary>The request path below the emulator base, e.g. "/dev.azure.com/fabrikam/_apis/projects".</summary>
    public static string RelativePath(HttpContext context)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        var prefix = Prefix(context);
        return prefix.Length > 0 && path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? path[prefix.Length..] : path;
    }

    public static string Login(HttpContext context, string tenant) => $"{Base(context)}/{EmulatorDefaults.LoginHost}/{tenant}";

    public static string Organization(HttpContext context, string organization) => $"{Base(context)}/{EmulatorDefaults.DevOpsHost}/{organization}";

    public static string Vssps(HttpContext context, string organization) => $"{Base(context)}/{EmulatorDefaults.VsspsHost}/{organization}";

    public static string VsspsApp(HttpContext context) => $"{Base(context)}/{EmulatorDefaults.VsspsAppHost}";
}
