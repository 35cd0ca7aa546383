using Microsoft.Extensions.Options;

namespace AdoBridge.AdminConsole;

/// <summary>Optional sign-in to the console with an OpenID Connect provider, Microsoft Entra ID in mind (section AdoBridge:Console:Oidc).</summary>
internal sealed class ConsoleOidcOptions
{
    public const string Section = "AdoBridge:Console:Oidc";

    /// <summary>The provider's issuer URL, e.g. https://login.microsoftonline.com/{tenant id}/v2.0; unset turns the sign-in off.</summary>
    public string? Authority { get; set; }

    /// <summary>The app registration's application (client) id.</summary>
    public string? ClientId { get; set; }

    /// <summary>The app registration's client secret value (not its secret ID).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Entra tenant ids (`tid`) whose people may sign in; required when the authority is `common` or `organizations`.</summary>
    public string[]? AllowedTenants { get; set; }

    /// <summary>The sign-in button's text.</summary>
    public string ButtonText { get; set; } = "Sign in with Microsoft";

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority);

    /// <summary>Whether the authority takes people from any tenant (Entra's `common`, `organizations`), so the tenant must be checked here.</summary>
    public bool MultiTenant => Authority is { } a && Uri.TryCreate(a, UriKind.Absolute, out var uri)
        && uri.Segments.Any(s => s.TrimEnd('/') is "common" or "organizations" or "consumers");

    /// <summary>What is wrong with the settings, naming the setting and the fix; null when they are usable (or unset).</summary>
    public string? Problem()
    {
        if (!Enabled)
        {
            return null;
        }

        if (!Uri.TryCreate(Authority, UriKind.Absolute, out var uri) || !(uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback)))
        {
            return $"{Section}:Authority must be an https URL such as https://login.microsoftonline.com/{{tenant id}}/v2.0 (it was '{Authority}').";
        }

        if (string.IsNullOrWhiteSpace(ClientId))
        {
            return $"{Section}:ClientId is required with {Section}:Authority: the application (client) id of the app registration.";
        }

        if (string.IsNullOrWhiteSpace(ClientSecret))
        {
            return $"{Section}:ClientSecret is required with {Section}:Authority: the value of a client secret of the app registration (not its secret ID).";
        }

        if (MultiTenant && (AllowedTenants is null || AllowedTenants.All(string.IsNullOrWhiteSpace)))
        {
            return $"{Section}:AllowedTenants is required with a multi-tenant authority ('{Authority}'): list the tenant ids whose people may sign in, or use https://login.microsoftonline.com/{{tenant id}}/v2.0.";
        }

        return null;
    }
}

/// <summary>Refuses to start with unusable OIDC settings, with the message that names the setting and the fix.</summary>
internal sealed class ConsoleOidcOptionsValidator : IValidateOptions<ConsoleOidcOptions>
{
    public ValidateOptionsResult Validate(string? name, ConsoleOidcOptions options)
        => options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
}
