using AdoBridge.AdminConsole.Components;
using AdoBridge.Hosting;
using AdoBridge.Problems;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AdoBridge.AdminConsole;

/// <summary>
/// "Sign in with Microsoft" on the console's sign-in page: the start sends the browser to the provider, the callback (open,
/// like the invitation link: the sealed flow cookie and the provider's answer are the credentials) checks the answer in
/// <see cref="ConsoleOidc"/> and the person in <see cref="ConsoleAccounts.SignInExternalAsync"/>. Every refusal is the
/// sign-in page with what happened and what to do.
/// </summary>
internal static class ConsoleOidcEndpoints
{
    public static IEndpointRouteBuilder MapConsoleOidc(this IEndpointRouteBuilder app)
    {
        var open = app.MapGroup("/console").ExcludeFromDescription().RequireConsoleAntiforgery();
        open.MapGet("/sign-in/microsoft", StartAsync).WithName("consoleOidcStart").WithSummary("Sign in with Microsoft")
            .WithDescription("Sends the browser to the OpenID Connect provider (Entra ID) with a new state, nonce and PKCE challenge.").WithProblemCodes(404, "not_found");
        open.MapGet("/sign-in/microsoft/callback", CallbackAsync).WithName("consoleOidcCallback").WithSummary("Sign-in with Microsoft: the way back")
            .WithDescription("Checks the provider's answer (state, code with the PKCE verifier, id token and its nonce) and signs in the console account it belongs to.").WithProblemCodes(400, "bad_request");
        return app;
    }

    private static async Task<IResult> StartAsync(HttpContext http, IAntiforgery antiforgery, ConsoleOidc oidc, PublicUrls urls, string? returnUrl, CancellationToken ct)
    {
        if (!oidc.Enabled)
        {
            return Refused(http, antiforgery, oidc, StatusCodes.Status404NotFound,
                $"Sign-in with Microsoft is not set up on this AdoBridge (an operator sets {ConsoleOidcOptions.Section}, see the README). Sign in with your user name and password.");
        }

        string authorizeUrl, sealedFlow;
        try
        {
            (authorizeUrl, sealedFlow) = await oidc.BeginAsync(RedirectUri(urls), ConsoleAuth.SafeReturnUrl(returnUrl), ct);
        }
        catch (InvalidOperationException)
        {
            // IdentityModel reports an unreachable or unreadable discovery document this way.
            return Refused(http, antiforgery, oidc, StatusCodes.Status502BadGateway,
                $"The sign-in provider's discovery document ({oidc.Authority}/.well-known/openid-configuration) could not be read: try again in a moment, or sign in with your password. An operator checks {ConsoleOidcOptions.Section}:Authority.");
        }

        // SameSite=Lax, not the console's Strict: the provider sends the browser back with a top-level GET from its own site.
        http.Response.Cookies.Append(ConsoleOidc.FlowCookie, sealedFlow, new CookieOptions
        {
            Path = ConsoleOidc.StartPath, HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = http.Request.IsHttps, MaxAge = ConsoleOidc.FlowLifetime, IsEssential = true,
        });
        return Results.Redirect(authorizeUrl);
    }

    private static async Task<IResult> CallbackAsync(
        HttpContext http, IAntiforgery antiforgery, ConsoleOidc oidc, ConsoleAccounts accounts, PublicUrls urls,
        string? code, string? state, string? error, [FromQuery(Name = "error_description")] string? errorDescription, CancellationToken ct)
    {
        if (!oidc.Enabled)
        {
            return Refused(http, antiforgery, oidc, StatusCodes.Status404NotFound, $"Sign-in with Microsoft is not set up on this AdoBridge ({ConsoleOidcOptions.Section}).");
        }

        // The flow is used once, whatever comes of it.
        var flow = oidc.ReadFlow(http.Request.Cookies[ConsoleOidc.FlowCookie]);
        http.Response.Cookies.Delete(ConsoleOidc.FlowCookie, new CookieOptions { Path = ConsoleOidc.StartPath });
        if (flow is null || !ConsoleOidc.StateMatches(flow, state))
        {
            return Refused(http, antiforgery, oidc, StatusCodes.Status400BadRequest,
                $"This answer from Microsoft does not belong to a sign-in started in this browser in the last {ConsoleOidc.FlowLifetime.TotalMinutes:0} minutes (it was used, has expired, or its state differs). Start again with the button below.");
        }

        if (error is not null || string.IsNullOrEmpty(code))
        {
            var said = errorDescription is { Length: > 0 } d ? ": " + (d.Length > 300 ? d[..300] : d).Split('\n')[0] : string.Empty;
            return Refused(http, antiforgery, oidc, StatusCodes.Status401Unauthorized, $"Microsoft did not sign you in ({error ?? "no code"}{said}). Start again, or sign in with your password.");
        }

        OidcOutcome outcome;
        try
        {
            outcome = await oidc.CompleteAsync(flow, code, RedirectUri(urls), ct);
        }
        catch (Exception e) when (e is InvalidOperationException or HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return Refused(http, antiforgery, oidc, StatusCodes.Status502BadGateway, $"The sign-in provider at {oidc.Authority} could not be reached to finish the sign-in: start again in a moment.");
        }

        if (outcome.Identity is not { } who)
        {
            await accounts.RecordAsync("?", ConsoleActions.ExternalSignInRefused, outcome.Refusal, ConsoleEndpoints.RemoteAddress(http), ct);
            return Refused(http, antiforgery, oidc, outcome.Status, outcome.Refusal!);
        }

        var signedIn = await accounts.SignInExternalAsync(who, ConsoleEndpoints.RemoteAddress(http), ct);
        if (signedIn.Value is not { } user)
        {
            return Refused(http, antiforgery, oidc, signedIn.Status, signedIn.Refusal!);
        }

        await http.SignInAsync(ConsoleAuth.Scheme, ConsoleAuth.PrincipalFor(user));
        // A page that moves on by itself rather than a redirect: the browser arrived here from the provider's site, and
        // would withhold the console's SameSite=Strict cookie on a redirect in that same navigation.
        http.Response.Headers.CacheControl = "no-store";
        return new RazorComponentResult<SignedInPage>(new { Frame = ConsoleEndpoints.Frame(http, antiforgery, signedIn: false), UserName = user.UserName, ReturnUrl = flow.ReturnUrl });
    }

    /// <summary>The redirect URI to register in the app registration (platform "Web").</summary>
    public static string RedirectUri(PublicUrls urls) => urls.BaseUrl.TrimEnd('/') + ConsoleOidc.CallbackPath;

    private static RazorComponentResult<SignInPage> Refused(HttpContext http, IAntiforgery antiforgery, ConsoleOidc oidc, int status, string error)
    {
        http.Response.Headers.CacheControl = "no-store";
        return new(new { Frame = ConsoleEndpoints.Frame(http, antiforgery, signedIn: false), ReturnUrl = "/console", Error = error, OidcButton = oidc.Enabled ? oidc.ButtonText : null })
        {
            StatusCode = status,
        };
    }
}
