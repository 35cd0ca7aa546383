using System.Security.Claims;
using AdoBridge.Storage;

namespace AdoBridge.AdminConsole;

/// <summary>
/// The console's own sign-in: a cookie scheme beside the API key scheme. The API's policies use the default (API key)
/// scheme only, so the cookie never reaches the API; the console's policy uses the cookie scheme only, so an API key
/// never reaches the console.
/// </summary>
internal static class ConsoleAuth
{
    public const string Scheme = "Console";
    public const string Policy = "console";
    public const string RoleClaim = "adobridge:console_role";
    public const string EnvironmentClaim = "adobridge:console_environment";
    public const string CookieName = "adobridge_console";
    public const string SignInPath = "/console/sign-in";

    public static ClaimsPrincipal PrincipalFor(ConsoleUserEntity user)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, user.Id),
            new(ClaimTypes.Name, user.UserName),
            new(RoleClaim, user.Role),
        };
        if (user.EnvironmentId is not null)
        {
            claims.Add(new Claim(EnvironmentClaim, user.EnvironmentId));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme, ClaimTypes.Name, RoleClaim));
    }

    public static string UserName(this ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.Name) ?? "?";

    public static string ConsoleRole(this ClaimsPrincipal user) => user.FindFirstValue(RoleClaim) ?? string.Empty;

    /// <summary>The environment a console admin is held to; null for an owner, who sees every environment.</summary>
    public static string? ConsoleEnvironment(this ClaimsPrincipal user) => user.FindFirstValue(EnvironmentClaim);

    /// <summary>A local console path to return to after sign-in, or the console's start page for anything else.</summary>
    public static string SafeReturnUrl(string? returnUrl)
        => returnUrl is { Length: > 0 and < 500 } && returnUrl.StartsWith("/console", StringComparison.Ordinal)
           && !returnUrl.StartsWith("//", StringComparison.Ordinal) && !returnUrl.Contains('\\', StringComparison.Ordinal)
            ? returnUrl
            : "/console";
}
