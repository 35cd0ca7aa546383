using System.Globalization;
using AdoBridge.Environments;
using AdoBridge.Hosting;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Primitives;

namespace AdoBridge.AdminConsole;

/// <summary>
/// What the console's pages share: the frame, the environment a page shows (an environment admin's own, always), the
/// audit of actions, and small formatting rules, so every page reads and writes them the same way.
/// </summary>
internal static class ConsolePage
{
    public static ConsoleFrame Frame(HttpContext http, IAntiforgery antiforgery)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        return new ConsoleFrame(http.User.UserName(), http.User.ConsoleRole(), tokens.FormFieldName, tokens.RequestToken ?? string.Empty);
    }

    /// <summary>The environment asked for, if the user may see it; else the sandbox (in sandbox mode) or the first one.</summary>
    public static async Task<ConsoleEnvironmentScope> ScopeAsync(HttpContext http, EnvironmentService environments, SandboxMode sandbox, string? requested, CancellationToken ct)
    {
        if (http.User.ConsoleEnvironment() is { } held)
        {
            return new ConsoleEnvironmentScope(held, [held]);
        }

        var all = (await environments.ListAsync(ct)).Select(e => e.Id).ToList();
        var fallback = sandbox.Enabled && all.Contains(EnvironmentService.Sandbox) ? EnvironmentService.Sandbox : all.FirstOrDefault() ?? EnvironmentService.Production;
        return new ConsoleEnvironmentScope(requested is { Length: > 0 } && all.Contains(requested) ? requested : fallback, all);
    }

    /// <summary>Records an action in the console audit, with who did it and from where.</summary>
    public static Task AuditAsync(HttpContext http, ConsoleAccounts accounts, string action, string detail, CancellationToken ct)
        => accounts.RecordAsync(ConsoleAccounts.Normalize(http.User.UserName()), action, detail.Length > 1000 ? detail[..1000] : detail, http.Connection.RemoteIpAddress?.ToString(), ct);

    /// <summary>The posted form, or an empty one when the body is not a form (a hand-made post must not end in a 500).</summary>
    public static async Task<IFormCollection> FormAsync(HttpContext http, CancellationToken ct)
        => http.Request.HasFormContentType ? await http.Request.ReadFormAsync(ct) : FormCollection.Empty;

    public static bool IsHtmx(HttpContext http) => http.Request.Headers.ContainsKey("HX-Request");

    public static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    public static string? Field(IEnumerable<KeyValuePair<string, StringValues>> values, string name)
        => Blank(values.FirstOrDefault(v => string.Equals(v.Key, name, StringComparison.OrdinalIgnoreCase)).Value.ToString());

    public static string When(DateTimeOffset? at) => at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) : "never";

    /// <summary>A console URL with the non-empty query parameters, in the order given.</summary>
    public static string Url(string path, params (string Name, string? Value)[] parts)
    {
        var query = string.Join("&", parts.Where(p => p.Value is { Length: > 0 }).Select(p => p.Name + "=" + Uri.EscapeDataString(p.Value!)));
        return query.Length == 0 ? path : path + "?" + query;
    }
}
