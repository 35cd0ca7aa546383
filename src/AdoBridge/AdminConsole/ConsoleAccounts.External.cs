using AdoBridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace AdoBridge.AdminConsole;

/// <summary>
/// Sign-in with an OpenID Connect provider: it never creates an account on its own. The person is the account already
/// linked to their issuer and subject; else the account named by their e-mail address, or the pending invitation made
/// for that address (its "for whom"), which is then used; and that account is linked, so a later change of their e-mail
/// address does not matter. Anyone else is refused: an owner must invite them. The role is the account's, as always.
/// </summary>
internal sealed partial class ConsoleAccounts
{
    public async Task<AccountOutcome<ConsoleUserEntity>> SignInExternalAsync(ExternalIdentity who, string? remoteAddress, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow();
        var source = $"with {who.Issuer}, subject {who.Subject}";
        var user = await db.ConsoleUsers.FirstOrDefaultAsync(u => u.ExternalIssuer == who.Issuer && u.ExternalSubject == who.Subject, ct);
        var how = "linked account";
        if (user is null && who.Email is { } email)
        {
            var name = Normalize(email);
            user = await db.ConsoleUsers.FirstOrDefaultAsync(u => u.UserName == name, ct);
            if (user is { ExternalSubject: not null })
            {
                return await RefuseAsync(db, tx, who, $"The account '{name}' is linked to another Microsoft sign-in, not this one: ask an owner to remove and invite it again if the person's Microsoft account changed.", source, remoteAddress, ct);
            }

            if (user is not null)
            {
                how = "account matched by e-mail, now linked";
            }
            else if (await AcceptInviteByEmailAsync(db, name, now, ct) is { } invite)
            {
                user = new ConsoleUserEntity { Id = Ids.New("cusr", clock), UserName = name, PasswordHash = string.Empty, Role = invite.Role, EnvironmentId = invite.EnvironmentId, CreatedAt = now };
                db.ConsoleUsers.Add(user);
                db.ConsoleAudit.Add(Audit(name, ConsoleActions.InviteAccepted, $"account created from invitation {invite.Id} by {invite.InvitedBy} {source}: role {invite.Role}{(invite.EnvironmentId is null ? "" : ", environment " + invite.EnvironmentId)}", remoteAddress));
                how = "invitation accepted, account linked";
            }
        }

        if (user is null)
        {
            var refusal = who.Email is null
                ? "The sign-in provider sent no e-mail address, so it cannot be matched to an invitation. An Entra administrator adds the optional claim 'email' to the app registration's token configuration."
                : $"No console account or pending invitation is for {who.Email}. Signing in with Microsoft does not create an account: ask an owner to invite {who.Email} on the Users page, then sign in again.";
            return await RefuseAsync(db, tx, who, refusal, source, remoteAddress, ct);
        }

        user.ExternalIssuer ??= who.Issuer;
        user.ExternalSubject ??= who.Subject;
        user.LastSignInAt = now;
        db.ConsoleAudit.Add(Audit(user.UserName, ConsoleActions.SignIn, $"{source} ({how})", remoteAddress));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new(user, null);
    }

    /// <summary>Uses (once) the newest pending invitation whose "for whom" is this e-mail address.</summary>
    private static async Task<ConsoleInviteEntity?> AcceptInviteByEmailAsync(AdoBridgeDbContext db, string email, DateTimeOffset now, CancellationToken ct)
    {
        var pending = await db.ConsoleInvites.AsNoTracking().Where(i => i.UsedAt == null && i.RevokedAt == null && i.Note != null).ToListAsync(ct);
        foreach (var invite in pending.Where(i => i.ExpiresAt > now && Normalize(i.Note!) == email).OrderByDescending(i => i.CreatedAt))
        {
            // The conditional update makes the invitation single use, also against its link used at the same moment.
            var claimed = await db.ConsoleInvites.Where(i => i.Id == invite.Id && i.UsedAt == null && i.RevokedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.UsedAt, now).SetProperty(i => i.UsedBy, email), ct);
            if (claimed == 1)
            {
                return invite;
            }
        }

        return null;
    }

    private async Task<AccountOutcome<ConsoleUserEntity>> RefuseAsync(
        AdoBridgeDbContext db, Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction tx, ExternalIdentity who, string refusal, string source, string? remoteAddress, CancellationToken ct)
    {
        // Not counted as a failed password: someone's Microsoft sign-in must not lock the account of that name.
        db.ConsoleAudit.Add(Audit(who.Email ?? who.Subject, ConsoleActions.ExternalSignInRefused, $"{source}: {refusal}", remoteAddress));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return AccountOutcome<ConsoleUserEntity>.Refused(refusal, StatusCodes.Status403Forbidden);
    }
}
