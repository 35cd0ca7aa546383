using System.Net;
using System.Text.RegularExpressions;
using AdoBridge.IntegrationTests.Infrastructure;
using AdoBridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace AdoBridge.IntegrationTests.AdminConsole;

/// <summary>
/// The users page: an owner invites an environment's admin or another owner with a one-time link shown once; the invited
/// person picks a name and password on it and is signed in with the invitation's role; links work once and can be
/// revoked; owners remove accounts (not their own, not the last owner) and a removed account's session ends at once.
/// </summary>
public sealed partial class ConsoleUsersTests : IAsyncLifetime
{
    private const string Password = "a long enough password here";
    private AdoBridgeServer server = null!;
    private ConsoleSession owner = null!;

    public async Task InitializeAsync()
    {
        server = await AdoBridgeServer.StartAsync();
        owner = new ConsoleSession(server.BaseUrl);
        (await owner.SetUpOwnerAsync(ConsoleSession.SetupToken(server))).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task InvitedAdmin_SignsUpOnTheLink_SeesOnlyItsEnvironment_AndTheLinkWorksOnce()
    {
        var link = await InviteAsync("admin", "sandbox", "dana@example.com");
        link.ShouldStartWith(server.BaseUrl.ToString().TrimEnd('/') + "/console/invite/");
        var (_, list) = await owner.PageAsync("/console/users");
        list.ShouldContain("dana@example.com");
        list.ShouldNotContain(new Uri(link).AbsolutePath, customMessage: "the link is shown once");

        using var dana = new ConsoleSession(server.BaseUrl);
        var (status, page) = await dana.PageAsync(new Uri(link).PathAndQuery);
        status.ShouldBe(HttpStatusCode.OK);
        page.ShouldContain("admin account for environment &#x27;sandbox&#x27;");

        // Bad input shows the page again with what to fix; the link still works after it.
        using (var mismatch = await dana.PostAsync(new Uri(link).AbsolutePath, new() { ["userName"] = "dana", ["password"] = Password, ["confirmation"] = Password + "x" }))
        {
            mismatch.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            (await mismatch.Content.ReadAsStringAsync()).ShouldContain("The two passwords differ");
        }

        using (var taken = await dana.PostAsync(new Uri(link).AbsolutePath, new() { ["userName"] = ConsoleSession.OwnerName, ["password"] = Password, ["confirmation"] = Password }))
        {
            taken.StatusCode.ShouldBe(HttpStatusCode.Conflict);
            (await taken.Content.ReadAsStringAsync()).ShouldContain("There is already an account named");
        }

        using (var accepted = await dana.PostAsync(new Uri(link).AbsolutePath, new() { ["userName"] = "Dana", ["password"] = Password, ["confirmation"] = Password }))
        {
            accepted.StatusCode.ShouldBe(HttpStatusCode.Redirect);
            accepted.Headers.Location!.OriginalString.ShouldBe("/console");
        }

        // Signed in as the admin of sandbox: its own environment's pages, not the owners' pages.
        (await dana.PageAsync("/console/api-keys")).Status.ShouldBe(HttpStatusCode.OK);
        var (usersStatus, usersPage) = await dana.PageAsync("/console/users");
        usersStatus.ShouldBe(HttpStatusCode.Forbidden);
        usersPage.ShouldContain("managed by owners only");
        using (var refused = await dana.PostAsync("/console/users/invite", new() { ["role"] = "owner" }))
        {
            refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        }

        // The link worked once.
        using var other = new ConsoleSession(server.BaseUrl);
        var (again, againPage) = await other.PageAsync(new Uri(link).AbsolutePath);
        again.ShouldBe(HttpStatusCode.NotFound);
        againPage.ShouldContain("has been used, revoked or has expired");

        await using var db = await server.Service<IDbContextFactory<AdoBridgeDbContext>>().CreateDbContextAsync();
        var user = await db.ConsoleUsers.SingleAsync(u => u.UserName == "dana");
        (user.Role, user.EnvironmentId).ShouldBe(("admin", "sandbox"));
        (await db.ConsoleAudit.CountAsync(a => a.Action == "console.user_invited" && a.Actor == ConsoleSession.OwnerName)).ShouldBe(1);
        (await db.ConsoleAudit.CountAsync(a => a.Action == "console.invite_accepted" && a.Actor == "dana")).ShouldBe(1);
        (await db.ConsoleInvites.SingleAsync()).TokenHash.Length.ShouldBe(32, "only the token's hash is stored");
    }

    [Fact]
    public async Task BadInvitations_ShowThePageWithAMessage_AndRevokedLinksStopWorking()
    {
        await owner.PageAsync("/console/users");
        using (var badRole = await owner.PostAsync("/console/users/invite", new() { ["role"] = "product", ["environment"] = "sandbox" }))
        {
            badRole.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            (await badRole.Content.ReadAsStringAsync()).ShouldContain("No invitation was made: The role must be");
        }

        using (var noEnvironment = await owner.PostAsync("/console/users/invite", new() { ["role"] = "admin", ["environment"] = "nowhere" }))
        {
            noEnvironment.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            (await noEnvironment.Content.ReadAsStringAsync()).ShouldContain("choose an existing one");
        }

        using (var forged = await owner.PostAsync("/console/users/invite", new() { ["role"] = "admin", ["environment"] = "sandbox" }, withToken: false))
        {
            forged.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        }

        var link = await InviteAsync("owner", null, "erin@example.com");
        await using var db = await server.Service<IDbContextFactory<AdoBridgeDbContext>>().CreateDbContextAsync();
        var invite = await db.ConsoleInvites.AsNoTracking().SingleAsync();
        await owner.PageAsync("/console/users");
        using (var revoked = await owner.PostAsync($"/console/users/invites/{invite.Id}/revoke", []))
        {
            revoked.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await revoked.Content.ReadAsStringAsync()).ShouldContain("its link no longer works");
        }

        using var erin = new ConsoleSession(server.BaseUrl);
        (await erin.PageAsync(new Uri(link).AbsolutePath)).Status.ShouldBe(HttpStatusCode.NotFound);
        await erin.GetAsync("/console/sign-in"); // a page with a form, for an antiforgery token
        using var late = await erin.PostAsync(new Uri(link).AbsolutePath, new() { ["userName"] = "erin", ["password"] = Password, ["confirmation"] = Password });
        late.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await db.ConsoleUsers.CountAsync(u => u.UserName == "erin")).ShouldBe(0);
        (await owner.PageAsync("/console/invite/not-a-token")).Status.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Owners_RemoveAccounts_ButNotTheirOwnNorTheLastOwner_AndARemovedSessionEnds()
    {
        var link = await InviteAsync("owner", null, null);
        using var second = new ConsoleSession(server.BaseUrl);
        await second.PageAsync(new Uri(link).AbsolutePath);
        (await second.PostAsync(new Uri(link).AbsolutePath, new() { ["userName"] = "second-owner", ["password"] = Password, ["confirmation"] = Password })).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await second.PageAsync("/console/users")).Status.ShouldBe(HttpStatusCode.OK);

        await using var db = await server.Service<IDbContextFactory<AdoBridgeDbContext>>().CreateDbContextAsync();
        var first = await db.ConsoleUsers.AsNoTracking().SingleAsync(u => u.UserName == ConsoleSession.OwnerName);
        var secondId = (await db.ConsoleUsers.AsNoTracking().SingleAsync(u => u.UserName == "second-owner")).Id;

        using (var self = await owner.PostAsync($"/console/users/{first.Id}/remove", []))
        {
            self.StatusCode.ShouldBe(HttpStatusCode.Conflict);
            (await self.Content.ReadAsStringAsync()).ShouldContain("cannot remove your own account");
        }

        // The second owner removes the first; the first one's open session ends at its next request.
        using (var removed = await second.PostAsync($"/console/users/{first.Id}/remove", []))
        {
            removed.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await removed.Content.ReadAsStringAsync()).ShouldContain("removed: its sessions end");
        }

        using (var ended = await owner.GetAsync("/console/connections"))
        {
            ended.StatusCode.ShouldBe(HttpStatusCode.Redirect);
            ended.Headers.Location!.AbsolutePath.ShouldBe("/console/sign-in");
        }

        (await owner.SignInAsync(ConsoleSession.OwnerPassword)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        // Now the only owner: it cannot be removed by anyone, so an admin account could never be left without one.
        await ConsoleSession.AddAccountAsync(server, "third-owner", "owner", null);
        await second.PageAsync("/console/users");
        var thirdId = (await db.ConsoleUsers.AsNoTracking().SingleAsync(u => u.UserName == "third-owner")).Id;
        (await second.PostAsync($"/console/users/{thirdId}/remove", [])).StatusCode.ShouldBe(HttpStatusCode.OK);
        using (var last = await second.PostAsync($"/console/users/{secondId}/remove", []))
        {
            last.StatusCode.ShouldBe(HttpStatusCode.Conflict, "one's own account, and the last owner");
        }

        (await db.ConsoleAudit.CountAsync(a => a.Action == "console.user_removed" && a.Actor == "second-owner")).ShouldBe(2);
    }

    private async Task<string> InviteAsync(string role, string? environment, string? note)
    {
        await owner.PageAsync("/console/users");
        var fields = new Dictionary<string, string> { ["role"] = role };
        if (environment is not null)
        {
            fields["environment"] = environment;
        }

        if (note is not null)
        {
            fields["note"] = note;
        }

        using var response = await owner.PostAsync("/console/users/invite", fields);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
        var html = await response.Content.ReadAsStringAsync();
        html.ShouldContain("Invitation made.");
        return WebUtility.HtmlDecode(SecretValue().Match(html).Groups[1].Value);
    }

    public async Task DisposeAsync()
    {
        owner.Dispose();
        await server.DisposeAsync();
    }

    [GeneratedRegex("id=\"secret-value\"[^>]*? value=\"([^\"]+)\"")]
    private static partial Regex SecretValue();
}
