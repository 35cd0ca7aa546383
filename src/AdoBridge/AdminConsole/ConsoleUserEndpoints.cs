using System.Security.Claims;
using AdoBridge.AdminConsole.Components;
using AdoBridge.ApiKeys;
using AdoBridge.Environments;
using AdoBridge.Hosting;
using AdoBridge.Problems;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AdoBridge.AdminConsole;

/// <summary>The invitation form's fields; any may be missing from a hand-made post.</summary>
internal sealed class InviteForm
{
    public string? Role { get; init; }
    public string? Environment { get; init; }
    public string? Note { get; init; }
}

/// <summary>
/// The console's accounts: the users page (owners only, as environments are), where owners invite people as owners or as
/// the admin of one environment and remove accounts; and the invitation link's page, open to whoever holds the link,
/// where the invited person picks a user name and password and is signed in. The rules live in <see cref="ConsoleAccounts"/>.
/// </summary>
internal static class ConsoleUserEndpoints
{
    public static IEndpointRouteBuilder MapConsoleUsers(this IEndpointRouteBuilder app)
    {
        var open = app.MapGroup("/console").ExcludeFromDescription().RequireConsoleAntiforgery();
        open.MapGet("/invite/{token}", InvitePageAsync).WithName("consoleInvitePage").WithSummary("Invitation page")
            .WithDescription("The invitation link's form: a user name and password for the account the invitation grants.").WithProblemCodes(404, "not_found");
        open.MapPost("/invite/{token}", AcceptAsync).WithName("consoleAcceptInvite").WithSummary("Accept an invitation")
            .WithDescription("Uses the invitation once, creates the account and signs it in.").WithProblemCodes(400, "antiforgery_failed");

        var pages = app.MapGroup("/console").ExcludeFromDescription().RequireAuthorization(ConsoleAuth.Policy).RequireConsoleAntiforgery();
        pages.MapGet("/users", UsersPageAsync).WithName("consoleUsers").WithSummary("Users page")
            .WithDescription("Console accounts and pending invitations, with a form to invite someone (owners only).").WithProblemCodes(403, "owner_role_required");
        pages.MapPost("/users/invite", InviteAsync).WithName("consoleInviteUser").WithSummary("Invite someone")
            .WithDescription("Makes a one-time invitation link for an owner or an environment's admin, shown once.").WithProblemCodes(400, "antiforgery_failed");
        pages.MapPost("/users/invites/{id}/revoke", RevokeInviteAsync).WithName("consoleRevokeInvite").WithSummary("Revoke an invitation")
            .WithDescription("Makes a pending invitation's link stop working.").WithProblemCodes(400, "antiforgery_failed");
        pages.MapPost("/users/{id}/remove", RemoveAsync).WithName("consoleRemoveUser").WithSummary("Remove an account")
            .WithDescription("Removes a console account (never one's own, never the last owner); its sessions end at their next request.").WithProblemCodes(400, "antiforgery_failed");
        return app;
    }

    private static Task<IResult> UsersPageAsync(HttpContext http, IAntiforgery antiforgery, ConsoleAccounts accounts, EnvironmentService environments, CancellationToken ct)
        => RenderAsync(http, antiforgery, accounts, environments, null, null, null, ct);

    private static async Task<IResult> InviteAsync(
        [FromForm] InviteForm form, HttpContext http, IAntiforgery antiforgery, ConsoleAccounts accounts, EnvironmentService environments, PublicUrls urls, CancellationToken ct)
    {
        if (!ConsoleScope.IsOwner(http.User))
        {
            await accounts.RecordAsync(ConsoleScope.AuditActor(http.User), ConsoleActions.Refused, "invite: needs the role 'owner'", ConsoleEndpoints.RemoteAddress(http), ct);
            return OwnerOnly(http, antiforgery);
        }

        var outcome = await accounts.InviteAsync(ConsoleScope.AuditActor(http.User), ConsoleEndpoints.Blank(form.Role), ConsoleEndpoints.Blank(form.Environment),
            ConsoleEndpoints.Blank(form.Note), ConsoleEndpoints.RemoteAddress(http), ct);
        if (outcome.Value is not { } created)
        {
            return await RenderAsync(http, antiforgery, accounts, environments, new ConsoleMessage($"No invitation was made: {outcome.Refusal}", true), null, form, ct, outcome.Status);
        }

        var link = urls.BaseUrl.TrimEnd('/') + InvitePath(created.Token);
        var grants = created.Invite.Role == ApiKeyRoles.Owner ? "an owner account (every environment)" : $"an admin account for environment '{created.Invite.EnvironmentId}'";
        var secret = new OneTimeSecretView("Invitation link", link,
            $"Send it to {(created.Invite.Note is { } note ? note : "the person you invite")} over a channel you trust: whoever opens it first gets {grants}. It works once and expires on {ConsoleFormat.Time(created.Invite.ExpiresAt)}; it is not shown again.");
        return await RenderAsync(http, antiforgery, accounts, environments, new ConsoleMessage("Invitation made.", false), secret, null, ct);
    }

    private static async Task<IResult> RevokeInviteAsync(string id, HttpContext http, IAntiforgery antiforgery, ConsoleAccounts accounts, EnvironmentService environments, CancellationToken ct)
    {
        if (!ConsoleScope.IsOwner(http.User))
        {
            return OwnerOnly(http, antiforgery);
        }

        var revoked = await accounts.RevokeInviteAsync(ConsoleScope.AuditActor(http.User), id, ConsoleEndpoints.RemoteAddress(http), ct);
        var message = revoked
            ? new ConsoleMessage($"Invitation {id} revoked: its link no longer works.", false)
            : new ConsoleMessage($"There is no pending invitation '{id}': it was used, revoked or has expired.", true);
        return await RenderAsync(http, antiforgery, accounts, environments, message, null, null, ct, revoked ? StatusCodes.Status200OK : StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> RemoveAsync(string id, HttpContext http, IAntiforgery antiforgery, ConsoleAccounts accounts, EnvironmentService environments, CancellationToken ct)
    {
        if (!ConsoleScope.IsOwner(http.User))
        {
            return OwnerOnly(http, antiforgery);
        }

        var outcome = await accounts.RemoveUserAsync(http.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? string.Empty, ConsoleScope.AuditActor(http.User), id, ConsoleEndpoints.RemoteAddress(http), ct);
        var message = outcome.Value is { } removed
            ? new ConsoleMessage($"Account '{removed.UserName}' removed: its sessions end at their next request.", false)
            : new ConsoleMessage($"The account was not removed: {outcome.Refusal}", true);
        return await RenderAsync(http, antiforgery, accounts, environments, message, null, null, ct, outcome.Status);
    }

    private static async Task<IResult> RenderAsync(
        HttpContext http, IAntiforgery antiforgery, ConsoleAccounts accounts, EnvironmentService environmentService, ConsoleMessage? message, OneTimeSecretView? secret,
        InviteForm? form, CancellationToken ct, int status = StatusCodes.Status200OK)
    {
        if (!ConsoleScope.IsOwner(http.User))
        {
            return OwnerOnly(http, antiforgery);
        }

        http.Response.Headers.CacheControl = "no-store";
        var self = http.User.FindFirstValue(ClaimTypes.NameIdentifier);
        var users = (await accounts.ListUsersAsync(ct)).Select(u => new ConsoleUserRowView(
            u.Id, u.UserName, u.Role, u.EnvironmentId, ConsoleFormat.Time(u.CreatedAt), ConsoleFormat.Time(u.LastSignInAt), u.Id == self)).ToList();
        var invites = (await accounts.PendingInvitesAsync(ct)).Select(i => new ConsoleInviteRowView(
            i.Id, i.Role, i.EnvironmentId, i.Note, i.InvitedBy, ConsoleFormat.Time(i.CreatedAt), ConsoleFormat.Time(i.ExpiresAt))).ToList();
        var environments = (await environmentService.ListAsync(ct)).Select(e => e.Id).ToList();
        return new RazorComponentResult<UsersPage>(new
        {
            Frame = ConsoleEndpoints.Frame(http, antiforgery, signedIn: true),
            Users = users,
            Invites = invites,
            Environments = environments,
            FormRole = form?.Role,
            FormEnvironment = form?.Environment,
            FormNote = form?.Note,
            Message = message,
            Secret = secret,
        })
        {
            StatusCode = status,
        };
    }

    private static async Task<IResult> InvitePageAsync(string token, HttpContext http, IAntiforgery antiforgery, ConsoleAccounts accounts, CancellationToken ct)
    {
        var invite = await accounts.FindInviteAsync(token, ct);
        return InvitePage(http, antiforgery, token, invite is null ? null : Grants(invite.Role, invite.EnvironmentId), null, null,
            invite is null ? StatusCodes.Status404NotFound : StatusCodes.Status200OK);
    }

    private static async Task<IResult> AcceptAsync(string token, [FromForm] SetupForm form, HttpContext http, IAntiforgery antiforgery, ConsoleAccounts accounts, CancellationToken ct)
    {
        if (await accounts.FindInviteAsync(token, ct) is not { } invite)
        {
            return InvitePage(http, antiforgery, token, null, null, null, StatusCodes.Status404NotFound);
        }

        var grants = Grants(invite.Role, invite.EnvironmentId);
        if (ConsoleAccounts.Validate(form.UserName, form.Password, form.Confirmation) is { } problem)
        {
            return InvitePage(http, antiforgery, token, grants, form.UserName, problem, StatusCodes.Status400BadRequest);
        }

        var outcome = await accounts.AcceptInviteAsync(token, form.UserName!, form.Password!, ConsoleEndpoints.RemoteAddress(http), ct);
        if (outcome.Value is not { } user)
        {
            var stillValid = outcome.Status != StatusCodes.Status404NotFound;
            return InvitePage(http, antiforgery, token, stillValid ? grants : null, form.UserName, stillValid ? outcome.Refusal : null, outcome.Status);
        }

        await accounts.RecordAsync(user.UserName, ConsoleActions.SignIn, "signed in after accepting an invitation", ConsoleEndpoints.RemoteAddress(http), ct);
        await http.SignInAsync(ConsoleAuth.Scheme, ConsoleAuth.PrincipalFor(user));
        return Results.Redirect("/console");
    }

    private static RazorComponentResult<InvitePage> InvitePage(HttpContext http, IAntiforgery antiforgery, string token, string? grants, string? userName, string? error, int status)
        => new(new { Frame = ConsoleEndpoints.Frame(http, antiforgery, signedIn: false), Action = InvitePath(token), Grants = grants, UserName = userName, Error = error })
        {
            StatusCode = status,
        };

    private static string Grants(string role, string? environmentId) => role == ApiKeyRoles.Owner
        ? "an owner account: it manages every environment, as an API key with role owner does"
        : $"an admin account for environment '{environmentId}': its connections, webhooks, events and API keys, as an API key with role admin does";

    private static string InvitePath(string token) => "/console/invite/" + Uri.EscapeDataString(token);

    private static RazorComponentResult<MessagePage> OwnerOnly(HttpContext http, IAntiforgery antiforgery)
        => ConsoleProblems.Page(http, antiforgery, "Users", StatusCodes.Status403Forbidden,
            $"Console accounts are managed by owners only. This account is an admin of environment '{http.User.ConsoleEnvironment()}'.");
}
