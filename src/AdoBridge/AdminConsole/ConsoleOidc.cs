using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace AdoBridge.AdminConsole;

/// <summary>A sign-in with the provider in progress; it travels in a cookie sealed by Data Protection, so any instance finishes it.</summary>
internal sealed record OidcFlow(string State, string Nonce, string Verifier, string ReturnUrl);

/// <summary>Who the provider says signed in: the issuer and subject (Entra's `oid`, else `sub`), the tenant, e-mail and name.</summary>
internal sealed record ExternalIdentity(string Issuer, string Subject, string? TenantId, string? Email, string? Name);

/// <summary>The provider's answer checked: the identity, or why not (a sentence for the sign-in page) with a status.</summary>
internal sealed record OidcOutcome(ExternalIdentity? Identity, string? Refusal, int Status = StatusCodes.Status200OK)
{
    public static OidcOutcome Refused(string refusal, int status = StatusCodes.Status401Unauthorized) => new(null, refusal, status);
}

/// <summary>
/// The console's sign-in with an OpenID Connect provider (Microsoft Entra ID), as a small authorization code flow rather
/// than ASP.NET Core's OpenIdConnect handler: its callback is a route like every other console page (so the route-table
/// tests see it), a refusal is a console page, and its state cookie is SameSite=Lax (the console's own is Strict). Every
/// sign-in carries a fresh state (bound to the browser by the sealed cookie), nonce (checked in the id token) and PKCE
/// S256 verifier; the id token's signature (the provider's JWKS), issuer, audience, lifetime and tenant are validated.
/// </summary>
internal sealed class ConsoleOidc
{
    public const string HttpClientName = "console-oidc";
    public const string StartPath = "/console/sign-in/microsoft";
    public const string CallbackPath = StartPath + "/callback";
    public const string FlowCookie = "adobridge_console_oidc";
    public const string Scopes = "openid profile email";
    public static readonly TimeSpan FlowLifetime = TimeSpan.FromMinutes(10);

    private readonly ConsoleOidcOptions options;
    private readonly ITimeLimitedDataProtector protector;
    private readonly IHttpClientFactory http;
    private readonly ConfigurationManager<OpenIdConnectConfiguration>? configuration;

    public ConsoleOidc(IOptions<ConsoleOidcOptions> options, IDataProtectionProvider dataProtection, IHttpClientFactory http)
    {
        this.options = options.Value;
        this.http = http;
        protector = dataProtection.CreateProtector("AdoBridge.Console.Oidc.Flow").ToTimeLimitedDataProtector();
        if (this.options.Enabled)
        {
            // Discovery and the signing keys are cached and refreshed by IdentityModel (daily, or on an unknown key id).
            var authority = this.options.Authority!.TrimEnd('/');
            configuration = new ConfigurationManager<OpenIdConnectConfiguration>(authority + "/.well-known/openid-configuration",
                new OpenIdConnectConfigurationRetriever(),
                new HttpDocumentRetriever(http.CreateClient(HttpClientName)) { RequireHttps = authority.StartsWith("https:", StringComparison.OrdinalIgnoreCase) });
        }
    }

    public bool Enabled => options.Enabled;

    public string ButtonText => options.ButtonText;

    public string Authority => options.Authority ?? string.Empty;

    /// <summary>The provider's authorize URL for a new sign-in, and the sealed flow for the cookie.</summary>
    public async Task<(string AuthorizeUrl, string SealedFlow)> BeginAsync(string redirectUri, string returnUrl, CancellationToken ct)
    {
        var config = await configuration!.GetConfigurationAsync(ct);
        var flow = new OidcFlow(RandomToken(), RandomToken(), RandomToken(), returnUrl);
        var url = QueryHelpers.AddQueryString(config.AuthorizationEndpoint, new Dictionary<string, string?>
        {
            ["client_id"] = options.ClientId,
            ["response_type"] = "code",
            ["response_mode"] = "query",
            ["redirect_uri"] = redirectUri,
            ["scope"] = Scopes,
            ["state"] = flow.State,
            ["nonce"] = flow.Nonce,
            ["code_challenge"] = Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(flow.Verifier))),
            ["code_challenge_method"] = "S256",
        });
        return (url, protector.Protect(JsonSerializer.Serialize(flow), DateTimeOffset.UtcNow + FlowLifetime));
    }

    /// <summary>The flow a cookie holds; null when it is missing, forged, sealed by another key ring or expired.</summary>
    public OidcFlow? ReadFlow(string? sealedFlow)
    {
        if (string.IsNullOrEmpty(sealedFlow))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<OidcFlow>(protector.Unprotect(sealedFlow, out _));
        }
        catch (Exception e) when (e is CryptographicException or JsonException or FormatException)
        {
            return null;
        }
    }

    /// <summary>Whether the state the provider sent back is the one this browser's flow started with (constant time).</summary>
    public static bool StateMatches(OidcFlow flow, string? state) => state is not null && FixedEquals(flow.State, state);

    /// <summary>Redeems the code (with the PKCE verifier) and validates the id token; the identity, or why not.</summary>
    public async Task<OidcOutcome> CompleteAsync(OidcFlow flow, string code, string redirectUri, CancellationToken ct)
    {
        var config = await configuration!.GetConfigurationAsync(ct);
        using var client = http.CreateClient(HttpClientName);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = redirectUri,
            ["client_id"] = options.ClientId!,
            ["client_secret"] = options.ClientSecret!,
            ["code_verifier"] = flow.Verifier,
            ["scope"] = Scopes,
        });
        using var response = await client.PostAsync(config.TokenEndpoint, form, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        string? idToken = null, error = null, description = null;
        try
        {
            using var json = JsonDocument.Parse(body);
            idToken = Text(json.RootElement, "id_token");
            error = Text(json.RootElement, "error");
            description = Text(json.RootElement, "error_description");
        }
        catch (JsonException)
        {
            error = $"HTTP {(int)response.StatusCode} without JSON";
        }

        if (!response.IsSuccessStatusCode || idToken is null)
        {
            return OidcOutcome.Refused($"The sign-in provider did not redeem the sign-in ({error ?? "no id_token"}{(description is null ? "" : ": " + FirstLine(description))}). " +
                $"Start again; if it happens again, check {ConsoleOidcOptions.Section}:ClientId and ClientSecret against the app registration.", StatusCodes.Status502BadGateway);
        }

        var result = await ValidateAsync(idToken, config);
        if (!result.IsValid && result.Exception is SecurityTokenSignatureKeyNotFoundException)
        {
            // The provider rolled its signing keys since discovery was read: read them again, once.
            configuration.RequestRefresh();
            result = await ValidateAsync(idToken, await configuration.GetConfigurationAsync(ct));
        }

        if (!result.IsValid || result.SecurityToken is not JsonWebToken token)
        {
            return OidcOutcome.Refused($"The id token from the sign-in provider is not valid: {Why(result.Exception)}. Start again.");
        }

        if (!token.TryGetPayloadValue<string>("nonce", out var nonce) || !FixedEquals(nonce, flow.Nonce))
        {
            return OidcOutcome.Refused("The id token was not issued for this sign-in (its nonce differs): start again from the sign-in page.", StatusCodes.Status400BadRequest);
        }

        var tenant = Claim(token, "tid");
        if (options.AllowedTenants is { Length: > 0 } allowed && !allowed.Any(t => string.Equals(t.Trim(), tenant, StringComparison.OrdinalIgnoreCase)))
        {
            return OidcOutcome.Refused($"People of tenant '{tenant}' may not sign in to this console: it accepts tenants listed in {ConsoleOidcOptions.Section}:AllowedTenants only.", StatusCodes.Status403Forbidden);
        }

        var subject = Claim(token, "oid") ?? Claim(token, "sub");
        if (subject is null)
        {
            return OidcOutcome.Refused("The id token names nobody (no oid or sub claim): start again.");
        }

        // Entra sends no email_verified; a provider that says false is not believed. The tenant is trusted for the rest
        // (its own or AllowedTenants), since Entra leaves e-mail addresses to each tenant's administrators.
        var verified = !token.TryGetPayloadValue<bool>("email_verified", out var v) || v;
        var email = verified ? Claim(token, "email") : null;
        return new OidcOutcome(new ExternalIdentity(token.Issuer, subject, tenant, email, Claim(token, "name") ?? Claim(token, "preferred_username")), null);
    }

    private Task<TokenValidationResult> ValidateAsync(string idToken, OpenIdConnectConfiguration config)
        => new JsonWebTokenHandler().ValidateTokenAsync(idToken, new TokenValidationParameters
        {
            ValidAudience = options.ClientId,
            IssuerSigningKeys = config.SigningKeys,
            ValidAlgorithms = config.IdTokenSigningAlgValuesSupported.Count > 0 ? config.IdTokenSigningAlgValuesSupported : [SecurityAlgorithms.RsaSha256],
            // Entra's multi-tenant discovery names the issuer https://login.microsoftonline.com/{tenantid}/v2.0: the token's
            // own tid fills it in, so a token is only accepted with the issuer of the tenant it claims.
            IssuerValidator = (issuer, token, _) =>
            {
                var tid = token is JsonWebToken jwt && jwt.TryGetPayloadValue<string>("tid", out var t) ? t : null;
                var expected = tid is null ? config.Issuer : config.Issuer.Replace("{tenantid}", tid, StringComparison.Ordinal);
                return string.Equals(issuer, expected, StringComparison.Ordinal) ? issuer : throw new SecurityTokenInvalidIssuerException("The issuer is not the configured authority's.");
            },
            ClockSkew = TimeSpan.FromMinutes(5),
        });

    private static string Why(Exception? e) => e switch
    {
        SecurityTokenExpiredException => "it has expired (check this machine's clock)",
        SecurityTokenNotYetValidException => "it is not valid yet (check this machine's clock)",
        SecurityTokenInvalidAudienceException => $"it was issued for another app (not {ConsoleOidcOptions.Section}:ClientId)",
        SecurityTokenInvalidIssuerException => $"it was issued by another authority (not {ConsoleOidcOptions.Section}:Authority)",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "its signature does not verify with the provider's keys",
        _ => "it could not be read",
    };

    private static string? Claim(JsonWebToken token, string name)
        => token.TryGetPayloadValue<string>(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;

    private static string? Text(JsonElement root, string name)
        => root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string FirstLine(string text)
    {
        var line = text.Split('\n', 2)[0].Trim();
        return line.Length > 300 ? line[..300] : line;
    }

    private static bool FixedEquals(string a, string b)
        => CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));

    private static string RandomToken() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
}
