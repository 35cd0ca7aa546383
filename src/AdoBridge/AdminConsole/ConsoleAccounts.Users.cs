using AdoBridge.ApiKeys;
using AdoBridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace AdoBridge.AdminConsole;

/// <summary>What an invitation or a change to the accounts came to: the result, or why not (a sentence for the page).</summary>
internal sealed record AccountOutcome<T>(T? Value, string? Refusal, int Status = StatusCodes.Status200OK) where T : class
{
    public static AccountOutcome<T> Refused(string refusal, int status = StatusCodes.Status400BadRequest) => new(null, refusal, status);
}

/// <summary>A new invitation and its link's token, which is shown once.</summary>
internal sealed record InviteCreated(ConsoleInviteEntity Invite, string Token);

/// <summary>
/// The console's accounts beyond the first owner: owners invite people as owners or as the admin of one environment (the
/// API keys' roles), each with a one-time link that expires; an invited person picks a name and password on it. Owners
/// remove accounts, never their own and never the last owner. A removed account's session ends at its next request
/// (<see cref="IsCurrentAsync"/>).
/// </summary>
internal sealed partial class ConsoleAccounts
{
    public static readonly TimeSpan InviteLifetime = TimeSpan.FromDays(7);

    /// <summary>A new invitation (the token is returned once; only its hash is stored), or why not.</summary>
    public async Task<AccountOutcome<InviteCreated>> InviteAsync(
        string invitedBy, string? role, string? environmentId, string? note, string? remoteAddress, CancellationToken ct)
    {
        if (role is not (ApiKeyRoles.Owner or ApiKeyRoles.Admin))
        {
            return AccountOutcome<InviteCreated>.Refused($"The role must be '{ApiKeyRoles.Admin}' (one environment) or '{ApiKeyRoles.Owner}' (everything); it was '{role}'.");
        }

        if (note is { Length: > 200 })
        {
            return AccountOutcome<InviteCreated>.Refused("The note is at most 200 characters: who the invitation is for, e.g. an e-mail address.");
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        if (role == ApiKeyRoles.Admin)
        {
            if (environmentId is null || !await db.Environments.AnyAsync(e => e.Id == environmentId, ct))
            {
                return AccountOutcome<InviteCreated>.Refused($"An admin manages one environment: choose an existing one (it was '{environmentId}').");
            }
        }
        else
        {
            environmentId = null;
        }

        var token = Base64UrlToken();
        var now = clock.GetUtcNow();
        var invite = new ConsoleInviteEntity
        {
            Id = Ids.New("cinv", clock), TokenHash = Hash(token), Role = role, EnvironmentId = environmentId, Note = note,
            InvitedBy = invitedBy, CreatedAt = now, ExpiresAt = now + InviteLifetime,
        };
        db.ConsoleInvites.Add(invite);
        db.ConsoleAudit.Add(Audit(invitedBy, ConsoleActions.UserInvited, $"invitation {invite.Id}: role {role}{(environmentId is null ? "" : ", environment " + environmentId)}{(note is null ? "" : ", for " + note)}", remoteAddress));
        await db.SaveChangesAsync(ct);
        return new(new InviteCreated(invite, token), null);
    }

    /// <summary>The invitation behind a link, if it is unused, unrevoked and unexpired.</summary>
    public async Task<ConsoleInviteEntity?> FindInviteAsync(string token, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var hash = Hash(token);
        var now = clock.GetUtcNow();
        return await db.ConsoleInvites.AsNoTracking().FirstOrDefaultAsync(i => i.TokenHash == hash && i.UsedAt == null && i.RevokedAt == null && i.ExpiresAt > now, ct);
    }

    /// <summary>Uses the invitation (once) and creates the account it grants; a refusal when the link is spent or the name is taken.</summary>
    public async Task<AccountOutcome<ConsoleUserEntity>> AcceptInviteAsync(string token, string userName, string password, string? remoteAddress, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var name = Normalize(userName);
        if (await db.ConsoleUsers.AnyAsync(u => u.UserName == name, ct))
        {
            return AccountOutcome<ConsoleUserEntity>.Refused($"There is already an account named '{name}': choose another name, or sign in with that one.", StatusCodes.Status409Conflict);
        }

        var hash = Hash(token);
        var now = clock.GetUtcNow();
        // The conditional update makes the link single use, also when two requests race for it.
        var claimed = await db.ConsoleInvites.Where(i => i.TokenHash == hash && i.UsedAt == null && i.RevokedAt == null && i.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.UsedAt, now).SetProperty(i => i.UsedBy, name), ct);
        var invite = claimed == 1 ? await db.ConsoleInvites.AsNoTracking().FirstAsync(i => i.TokenHash == hash, ct) : null;
        if (invite is null)
        {
            return AccountOutcome<ConsoleUserEntity>.Refused("This invitation has been used, revoked or has expired: ask an owner for a new one.", StatusCodes.Status404NotFound);
        }

        var user = new ConsoleUserEntity { Id = Ids.New("cusr", clock), UserName = name, PasswordHash = string.Empty, Role = invite.Role, EnvironmentId = invite.EnvironmentId, CreatedAt = now };
        user.PasswordHash = Hasher.HashPassword(user, password);
        db.ConsoleUsers.Add(user);
        db.ConsoleAudit.Add(Audit(name, ConsoleActions.InviteAccepted, $"account created from invitation {invite.Id} by {invite.InvitedBy}: role {invite.Role}{(invite.EnvironmentId is null ? "" : ", environment " + invite.EnvironmentId)}", remoteAddress));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new(user, null);
    }

    public async Task<IReadOnlyList<ConsoleUserEntity>> ListUsersAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.ConsoleUsers.AsNoTracking().OrderBy(u => u.UserName).ToListAsync(ct);
    }

    /// <summary>Invitations not yet used, revoked or expired.</summary>
    public async Task<IReadOnlyList<ConsoleInviteEntity>> PendingInvitesAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var pending = await db.ConsoleInvites.AsNoTracking().Where(i => i.UsedAt == null && i.RevokedAt == null).ToListAsync(ct);
        return [.. pending.Where(i => i.ExpiresAt > now).OrderByDescending(i => i.CreatedAt)];
    }

    public async Task<bool> RevokeInviteAsync(string actor, string id, string? remoteAddress, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var revoked = await db.ConsoleInvites.Where(i => i.Id == id && i.UsedAt == null && i.RevokedAt == null).ExecuteUpdateAsync(s => s.SetProperty(i => i.RevokedAt, now), ct);
        if (revoked == 1)
        {
            db.ConsoleAudit.Add(Audit(actor, ConsoleActions.InviteRevoked, $"invitation {id}", remoteAddress));
            await db.SaveChangesAsync(ct);
        }

        return revoked == 1;
    }

    /// <summary>Removes an account; refused for one's own and for the last owner.</summary>
    public async Task<AccountOutcome<ConsoleUserEntity>> RemoveUserAsync(string actorId, string actorName, string id, string? remoteAddress, CancellationToken ct)
    {
        if (id == actorId)
        {
            return AccountOutcome<ConsoleUserEntity>.Refused("You cannot remove your own account: ask another owner to.", StatusCodes.Status409Conflict);
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var user = await db.ConsoleUsers.FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null)
        {
            return AccountOutcome<ConsoleUserEntity>.Refused($"There is no account with id '{id}'.", StatusCodes.Status404NotFound);
        }

        if (user.Role == ApiKeyRoles.Owner && await db.ConsoleUsers.CountAsync(u => u.Role == ApiKeyRoles.Owner, ct) <= 1)
        {
            return AccountOutcome<ConsoleUserEntity>.Refused("This is the last owner: invite another owner first.", StatusCodes.Status409Conflict);
        }

        db.ConsoleUsers.Remove(user);
        db.ConsoleAudit.Add(Audit(actorName, ConsoleActions.UserRemoved, $"account {user.Id} '{user.UserName}' (role {user.Role})", remoteAddress));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new(user, null);
    }

    /// <summary>Whether a session's account still exists with the role and environment the session carries.</summary>
    public async Task<bool> IsCurrentAsync(string id, string role, string? environmentId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.ConsoleUsers.AnyAsync(u => u.Id == id && u.Role == role && u.EnvironmentId == environmentId, ct);
    }
}
