using System.Globalization;
using AdoBridge.AdminConsole.Components;
using AdoBridge.ApiKeys;
using AdoBridge.Apps;
using AdoBridge.Connections;
using AdoBridge.Environments;
using AdoBridge.Hosting;
using AdoBridge.Problems;
using AdoBridge.Storage;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AdoBridge.AdminConsole;

/// <summary>The sign-in form's fields; any may be missing from a hand-made post.</summary>
internal sealed class SignInForm
{
    public string? UserName { get; init; }
    public string? Password { get; init; }
    public string? ReturnUrl { get; init; }
}

/// <summary>The setup form's fields; any may be missing from a hand-made post.</summary>
internal sealed class SetupForm
{
    public string? UserName { get; init; }
    public string? Password { get; init; }
    public string? Confirmation { get; init; }
}

/// <summary>
/// The admin console's routes under /console. Sign-in, setup and the assets are open; every other page needs the console
/// cookie (policy <see cref="ConsoleAuth.Policy"/>). Form posts bind with [FromForm], so ASP.NET Core's antiforgery
/// middleware checks each of them. None of these routes is part of the API description.
/// </summary>
internal static class ConsoleEndpoints
{
    public static IEndpointRouteBuilder MapAdminConsole(this IEndpointRouteBuilder app)
    {
        var open = app.MapGroup("/console").ExcludeFromDescription().RequireConsoleAntiforgery();
        open.MapGet("/assets/{name}", ConsoleAssets.Serve).WithName("consoleAsset").WithSummary("Console asset")
            .WithDescription("The console's stylesheet and htmx, served by AdoBridge itself.").WithProblemCodes(404, "not_found");
        open.MapGet("/sign-in", SignInPageAsync).WithName("consoleSignInPage").WithSummary("Console sign-in page")
            .WithDescription("The console's sign-in form.").WithProblemCodes(400, "bad_request");
        open.MapPost("/sign-in", SignInAsync).WithName("consoleSignIn").WithSummary("Sign in to the console")
            .WithDescription("Checks the user name and password (locked after repeated failures) and sets the console cookie.").WithProblemCodes(400, "antiforgery_failed");
        open.MapGet("/setup/{token}", SetupPageAsync).WithName("consoleSetupPage").WithSummary("First-run setup page")
            .WithDescription("The one-time link from the start-up banner: the form that creates the owner account.").WithProblemCodes(400, "bad_request");
        open.MapPost("/setup/{token}", SetupAsync).WithName("consoleSetup").WithSummary("Create the owner account")
            .WithDescription("Uses the one-time setup link once, creates the owner account and signs it in.").WithProblemCodes(400, "antiforgery_failed");

        var pages = app.MapGroup("/console").ExcludeFromDescription().RequireAuthorization(ConsoleAuth.Policy).RequireConsoleAntiforgery();
        pages.MapPost("/sign-out", SignOutAsync).WithName("consoleSignOut").WithSummary("Sign out of the console")
            .WithDescription("Ends the console session.").WithProblemCodes(400, "antiforgery_failed");
        pages.MapGet("/connections", ConnectionsPageAsync).WithName("consoleConnections").WithSummary("Connections page")
            .WithDescription("Connections, searchable and filtered by status, app, end user and organisation, in keyset pages.").WithProblemCodes(400, "bad_request");
        pages.MapConsoleOverview();
        pages.MapConsoleConnections();
        pages.MapConsoleKeys();
        app.MapConsoleApps();
        app.MapConsoleUsers();
        app.MapConsoleOidc();
        app.MapConsoleMcp();
        return app;
    }

    private static async Task<IResult> SignInPageAsync(HttpContext http, IAntiforgery antiforgery, ConsoleAccounts accounts, ConsoleOidc oidc, string? returnUrl, string? signedOut, CancellationToken ct)
        => new RazorComponentResult<SignInPage>(new
        {
            Frame = Frame(http, antiforgery, signedIn: false),
            OidcButton = oidc.Enabled ? oidc.ButtonText : null,
            ReturnUrl = ConsoleAuth.SafeReturnUrl(returnUrl),
            Notice = signedOut is null ? null : "You are signed out.",
            NoOwnerYet = !await accounts.HasOwnerAsync(ct),
        });

    private static async Task<IResult> SignInAsync([FromForm] SignInForm form, HttpContext http, IAntiforgery antiforgery, ConsoleAccounts accounts, ConsoleOidc oidc, CancellationToken ct)
    {
        var returnUrl = ConsoleAuth.SafeReturnUrl(form.ReturnUrl);
        if (string.IsNullOrWhiteSpace(form.UserName) || string.IsNullOrEmpty(form.Password))
        {
            return SignInAgain(http, antiforgery, oidc, form, returnUrl, StatusCodes.Status400BadRequest, "Enter your user name and password.");
        }

        var outcome = await accounts.SignInAsync(form.UserName, form.Password, RemoteAddress(http), ct);
        if (outcome.User is not null)
        {
            await http.SignInAsync(ConsoleAuth.Scheme, ConsoleAuth.PrincipalFor(outcome.User));
            return Results.Redirect(returnUrl);
        }

        if (outcome.LockedOut)
        {
            var minutes = Math.Max(1, (int)Math.Ceiling(outcome.RetryAfter.TotalMinutes));
            http.Response.Headers.RetryAfter = ((int)outcome.RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            return SignInAgain(http, antiforgery, oidc, form, returnUrl, StatusCodes.Status429TooManyRequests,
                $"This account is locked after {ConsoleAccounts.MaxFailures} failed sign-ins within {ConsoleAccounts.FailureWindow.TotalMinutes:0} minutes. Try again in {minutes} minute{(minutes == 1 ? "" : "s")}; every attempt is recorded in the console audit.");
        }

        return SignInAgain(http, antiforgery, oidc, form, returnUrl, StatusCodes.Status401Unauthorized,
            $"The user name or password is wrong. After {ConsoleAccounts.MaxFailures} failures within {ConsoleAccounts.FailureWindow.TotalMinutes:0} minutes the account is locked for a while.");
    }

    private static RazorComponentResult<SignInPage> SignInAgain(HttpContext http, IAntiforgery antiforgery, ConsoleOidc oidc, SignInForm form, string returnUrl, int status, string error)
        => new(new { Frame = Frame(http, antiforgery, signedIn: false), UserName = form.UserName, ReturnUrl = returnUrl, Error = error, OidcButton = oidc.Enabled ? oidc.ButtonText : null })
        {
            StatusCode = status,
        };

    private static async Task<IResult> SignOutAsync(HttpContext http, ConsoleAccounts accounts, CancellationToken ct)
    {
        await accounts.RecordAsync(ConsoleAccounts.Normalize(http.User.UserName()), ConsoleActions.SignOut, null, RemoteAddress(http), ct);
        await http.SignOutAsync(ConsoleAuth.Scheme);
        return Results.Redirect(ConsoleAuth.SignInPath + "?signedOut=1");
    }

    private static async Task<IResult> SetupPageAsync(string token, HttpContext http, IAntiforgery antiforgery, ConsoleAccounts accounts, CancellationToken ct)
    {
        var valid = await accounts.IsSetupTokenValidAsync(token, ct);
        return new RazorComponentResult<SetupPage>(new { Frame = Frame(http, antiforgery, signedIn: false), Action = SetupPath(token), LinkValid = valid })
        {
            StatusCode = valid ? StatusCodes.Status200OK : StatusCodes.Status404NotFound,
        };
    }

    private static async Task<IResult> SetupAsync(string token, [FromForm] SetupForm form, HttpContext http, IAntiforgery antiforgery, ConsoleAccounts accounts, CancellationToken ct)
    {
        if (!await accounts.IsSetupTokenValidAsync(token, ct))
        {
            return new RazorComponentResult<SetupPage>(new { Frame = Frame(http, antiforgery, signedIn: false), Action = SetupPath(token), LinkValid = false }) { StatusCode = StatusCodes.Status404NotFound };
        }

        if (ConsoleAccounts.Validate(form.UserName, form.Password, form.Confirmation) is { } problem)
        {
            return new RazorComponentResult<SetupPage>(new { Frame = Frame(http, antiforgery, signedIn: false), Action = SetupPath(token), LinkValid = true, UserName = form.UserName, Error = problem })
            {
                StatusCode = StatusCodes.Status400BadRequest,
            };
        }

        var owner = await accounts.CreateOwnerAsync(token, form.UserName!, form.Password!, RemoteAddress(http), ct);
        if (owner is null)
        {
            return new RazorComponentResult<SetupPage>(new { Frame = Frame(http, antiforgery, signedIn: false), Action = SetupPath(token), LinkValid = false }) { StatusCode = StatusCodes.Status404NotFound };
        }

        await accounts.RecordAsync(owner.UserName, ConsoleActions.SignIn, "signed in after setup", RemoteAddress(http), ct);
        await http.SignInAsync(ConsoleAuth.Scheme, ConsoleAuth.PrincipalFor(owner));
        return Results.Redirect("/console");
    }

    private static async Task<IResult> ConnectionsPageAsync(
        HttpContext http, IAntiforgery antiforgery, ConnectionService connections, EnvironmentService environmentService, AppRegistry apps, SandboxMode sandbox,
        string? environment, string? search, string? status, string? app, string? endUser, string? organization, string? cursor, string? deleted, CancellationToken ct)
    {
        var held = http.User.ConsoleEnvironment();
        var environments = held is not null ? [held] : (await environmentService.ListAsync(ct)).Select(e => e.Id).ToList();
        var fallback = sandbox.Enabled && environments.Contains(EnvironmentService.Sandbox) ? EnvironmentService.Sandbox : environments.FirstOrDefault() ?? EnvironmentService.Production;
        var chosen = held ?? (environment is { Length: > 0 } && environments.Contains(environment) ? environment : fallback);
        var query = new ConnectionsQueryView(chosen, Blank(search), Blank(status), Blank(app), Blank(endUser), Blank(organization), environments,
            ConnectionStatus.All, (await apps.ListAsync(ct)).Select(a => a.Name).Order(StringComparer.Ordinal).ToList());

        ConnectionsResultView result;
        if (query.Status is not null && !ConnectionStatus.All.Contains(query.Status))
        {
            result = new ConnectionsResultView([], null, null, $"The status must be one of: {string.Join(", ", ConnectionStatus.All)}.");
        }
        else
        {
            const int pageSize = 50;
            var page = await connections.ListAsync(chosen, new ConnectionFilter(query.EndUser, query.Status, query.App, null, query.Organization, query.Search), Blank(cursor), pageSize, ct);
            var rows = page.Items.Select(c => new ConnectionRowView(
                c.Id, c.Status, c.StatusReason, c.EndUserDisplayName is { Length: > 0 } d ? $"{d} ({c.EndUserId})" : c.EndUserId, c.AppName, c.AuthType,
                string.Join(", ", ConnectionService.OrganizationsOf(c)), c.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture))).ToList();
            result = new ConnectionsResultView(rows, page.NextCursor is null ? null : ListUrl(query, page.NextCursor), cursor is { Length: > 0 } ? ListUrl(query, null) : null, null);
        }

        // htmx asks for the list alone when the filter changes or a pager link is followed.
        if (http.Request.Headers.ContainsKey("HX-Request"))
        {
            return new RazorComponentResult<ConnectionsResults>(new { Result = result });
        }

        var notice = deleted is { Length: > 0 and <= 100 } ? $"Connection {deleted} deleted, with its stored secrets and its service hooks." : null;
        return new RazorComponentResult<ConnectionsPage>(new { Frame = Frame(http, antiforgery, signedIn: true), Query = query, Result = result, Notice = notice });
    }

    private static string ListUrl(ConnectionsQueryView q, string? cursor)
    {
        var parts = new List<string> { "environment=" + Uri.EscapeDataString(q.Environment) };
        foreach (var (name, value) in new[] { ("search", q.Search), ("status", q.Status), ("app", q.App), ("endUser", q.EndUser), ("organization", q.Organization), ("cursor", cursor) })
        {
            if (value is not null)
            {
                parts.Add(name + "=" + Uri.EscapeDataString(value));
            }
        }

        return "/console/connections?" + string.Join("&", parts);
    }

    internal static ConsoleFrame Frame(HttpContext http, IAntiforgery antiforgery, bool signedIn)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        return new ConsoleFrame(signedIn ? http.User.UserName() : null, signedIn ? http.User.ConsoleRole() : null, tokens.FormFieldName, tokens.RequestToken ?? string.Empty);
    }

    private static string SetupPath(string token) => "/console/setup/" + Uri.EscapeDataString(token);

    internal static string? RemoteAddress(HttpContext http) => http.Connection.RemoteIpAddress?.ToString();

    internal static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
