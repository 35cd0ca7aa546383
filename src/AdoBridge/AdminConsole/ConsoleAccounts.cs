using System.Security.Cryptography;
using System.Text;
using AdoBridge.ApiKeys;
using AdoBridge.Storage;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace AdoBridge.AdminConsole;

/// <summary>The outcome of a sign-in attempt; <see cref="User"/> is set only on success.</summary>
internal sealed record SignInOutcome(ConsoleUserEntity? User, bool LockedOut, TimeSpan RetryAfter);

/// <summary>
/// Console accounts: the one-time setup link that creates the first owner, passwords (PBKDF2 through ASP.NET Core
/// Identity's hasher), sign-in with lockout after repeated failures, and the audit of what admins do. Lockout is counted
/// from the audit itself (failed sign-ins since the last success, within the window), so every instance sees the same count.
/// </summary>
internal sealed partial class ConsoleAccounts(IDbContextFactory<AdoBridgeDbContext> contexts, TimeProvider clock)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan FailureWindow = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan SetupLinkLifetime = TimeSpan.FromHours(24);
    public const int MinPasswordLength = 12;

    private static readonly PasswordHasher<ConsoleUserEntity> Hasher = new();

    /// <summary>A new setup link token while no owner exists (null once one does). Only its hash is stored.</summary>
    public async Task<string?> IssueSetupTokenAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (await db.ConsoleUsers.AnyAsync(u => u.Role == ApiKeyRoles.Owner, ct))
        {
            return null;
        }

        var token = Base64UrlToken();
        var now = clock.GetUtcNow();
        db.ConsoleSetupTokens.Add(new ConsoleSetupTokenEntity { Id = Ids.New("cset", clock), TokenHash = Hash(token), CreatedAt = now, ExpiresAt = now + SetupLinkLifetime });
        await db.SaveChangesAsync(ct);
        return token;
    }

    public async Task<bool> HasOwnerAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.ConsoleUsers.AnyAsync(u => u.Role == ApiKeyRoles.Owner, ct);
    }

    /// <summary>Whether <paramref name="token"/> is an unused, unexpired setup link and no owner exists yet.</summary>
    public async Task<bool> IsSetupTokenValidAsync(string token, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var hash = Hash(token);
        var now = clock.GetUtcNow();
        return await db.ConsoleSetupTokens.AnyAsync(t => t.TokenHash == hash && t.UsedAt == null && t.ExpiresAt > now, ct)
               && !await db.ConsoleUsers.AnyAsync(u => u.Role == ApiKeyRoles.Owner, ct);
    }

    /// <summary>Uses the setup link (once) and creates the owner; null when the link is spent, expired or an owner exists.</summary>
    public async Task<ConsoleUserEntity?> CreateOwnerAsync(string token, string userName, string password, string? remoteAddress, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var hash = Hash(token);
        var now = clock.GetUtcNow();
        // The conditional update is what makes the link single use, also when two requests race for it.
        var claimed = await db.ConsoleSetupTokens.Where(t => t.TokenHash == hash && t.UsedAt == null && t.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.UsedAt, now), ct);
        if (claimed != 1 || await db.ConsoleUsers.AnyAsync(u => u.Role == ApiKeyRoles.Owner, ct))
        {
            return null;
        }

        var user = new ConsoleUserEntity { Id = Ids.New("cusr", clock), UserName = Normalize(userName), PasswordHash = string.Empty, Role = ApiKeyRoles.Owner, CreatedAt = now };
        user.PasswordHash = Hasher.HashPassword(user, password);
        db.ConsoleUsers.Add(user);
        // Every other setup link dies with the first owner.
        await db.ConsoleSetupTokens.Where(t => t.UsedAt == null).ExecuteUpdateAsync(s => s.SetProperty(t => t.UsedAt, now), ct);
        db.ConsoleAudit.Add(Audit(user.UserName, ConsoleActions.Setup, "owner account created from the setup link", remoteAddress));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return user;
    }

    /// <summary>Checks the password, unless the account is locked by <see cref="MaxFailures"/> failures within <see cref="FailureWindow"/>.</summary>
    public async Task<SignInOutcome> SignInAsync(string userName, string password, string? remoteAddress, CancellationToken ct)
    {
        var name = Normalize(userName);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var lastSuccess = await db.ConsoleAudit.Where(a => a.Actor == name && a.Action == ConsoleActions.SignIn)
            .OrderByDescending(a => a.CreatedAt).Select(a => (DateTimeOffset?)a.CreatedAt).FirstOrDefaultAsync(ct);
        var since = now - FailureWindow;
        if (lastSuccess > since)
        {
            since = lastSuccess.Value;
        }

        var failures = await db.ConsoleAudit.Where(a => a.Actor == name && a.Action == ConsoleActions.SignInFailed && a.CreatedAt > since)
            .OrderBy(a => a.CreatedAt).Select(a => a.CreatedAt).ToListAsync(ct);
        if (failures.Count >= MaxFailures)
        {
            db.ConsoleAudit.Add(Audit(name, ConsoleActions.SignInLockedOut, "refused: too many failed sign-ins", remoteAddress));
            await db.SaveChangesAsync(ct);
            var retryAfter = failures[^MaxFailures] + FailureWindow - now;
            return new SignInOutcome(null, true, retryAfter > TimeSpan.Zero ? retryAfter : TimeSpan.FromMinutes(1));
        }

        var user = await db.ConsoleUsers.FirstOrDefaultAsync(u => u.UserName == name, ct);
        var verdict = user is null ? PasswordVerificationResult.Failed : Hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (user is null || verdict == PasswordVerificationResult.Failed)
        {
            db.ConsoleAudit.Add(Audit(name, ConsoleActions.SignInFailed, user is null ? "unknown user name" : "wrong password", remoteAddress));
            await db.SaveChangesAsync(ct);
            return new SignInOutcome(null, failures.Count + 1 >= MaxFailures, FailureWindow);
        }

        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = Hasher.HashPassword(user, password);
        }

        user.LastSignInAt = now;
        db.ConsoleAudit.Add(Audit(name, ConsoleActions.SignIn, null, remoteAddress));
        await db.SaveChangesAsync(ct);
        return new SignInOutcome(user, false, TimeSpan.Zero);
    }

    public async Task RecordAsync(string actor, string action, string? detail, string? remoteAddress, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        db.ConsoleAudit.Add(Audit(actor, action, detail, remoteAddress));
        await db.SaveChangesAsync(ct);
    }

    public async Task<IReadOnlyList<ConsoleAuditEntity>> RecentAuditAsync(int limit, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.ConsoleAudit.AsNoTracking().OrderByDescending(a => a.Id).Take(limit).ToListAsync(ct);
    }

    /// <summary>What is wrong with a new account's name and password, or null when they are acceptable.</summary>
    public static string? Validate(string? userName, string? password, string? confirmation)
    {
        var name = userName?.Trim() ?? string.Empty;
        if (name.Length is < 2 or > 100 || name.Any(char.IsWhiteSpace))
        {
            return "The user name must be 2 to 100 characters without spaces (an e-mail address works).";
        }

        if (password is null || password.Length < MinPasswordLength)
        {
            return $"The password must be at least {MinPasswordLength} characters long; a phrase of several words is easy to remember.";
        }

        return password != confirmation ? "The two passwords differ: type the same password in both fields." : null;
    }

    public static string Normalize(string userName) => userName.Trim().ToLowerInvariant();

    private ConsoleAuditEntity Audit(string actor, string action, string? detail, string? remoteAddress) => new()
    {
        Id = Ids.New("caud", clock),
        CreatedAt = clock.GetUtcNow(),
        Actor = actor.Length > 200 ? actor[..200] : actor,
        Action = action,
        Detail = detail,
        RemoteAddress = remoteAddress,
    };

    private static string Base64UrlToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}

/// <summary>The actions the console audit records.</summary>
internal static partial class ConsoleActions
{
    public const string Setup = "console.setup";
    public const string SignIn = "console.sign_in";
    public const string SignInFailed = "console.sign_in_failed";
    public const string SignInLockedOut = "console.sign_in_locked_out";
    public const string ExternalSignInRefused = "console.external_sign_in_refused";
    public const string SignOut = "console.sign_out";
    public const string UserInvited = "console.user_invited";
    public const string InviteAccepted = "console.invite_accepted";
    public const string InviteRevoked = "console.invite_revoked";
    public const string UserRemoved = "console.user_removed";
}
