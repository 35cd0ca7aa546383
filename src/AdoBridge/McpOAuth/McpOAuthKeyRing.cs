using System.Security.Cryptography;
using AdoBridge.Security;
using AdoBridge.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;

namespace AdoBridge.McpOAuth;

/// <summary>
/// The authorization server's signing key (RSA) and token encryption key (AES), made once and kept in the database
/// sealed with the master key ring, so every instance on the database issues and accepts the same tokens.
/// </summary>
internal sealed class McpOAuthKeyRing(IDbContextFactory<AdoBridgeDbContext> contexts, SecretProtector protector, TimeProvider clock)
{
    private const string SigningId = "signing-1";
    private const string EncryptionId = "encryption-1";
    private const string Purpose = "mcp-oauth-key";

    private readonly Lazy<(SecurityKey Signing, SecurityKey Encryption)> keys = new(() => Load(contexts, protector, clock));

    public SecurityKey Signing => keys.Value.Signing;

    public SecurityKey Encryption => keys.Value.Encryption;

    // Options are built on the first OAuth request, after the start-up tasks migrated the schema and opened the key ring.
    private static (SecurityKey, SecurityKey) Load(IDbContextFactory<AdoBridgeDbContext> contexts, SecretProtector protector, TimeProvider clock)
    {
        var signing = Ensure(contexts, protector, clock, SigningId, () =>
        {
            using var rsa = RSA.Create(2048);
            return rsa.ExportRSAPrivateKeyPem();
        });
        var encryption = Ensure(contexts, protector, clock, EncryptionId, () => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));

#pragma warning disable CA2000 // The key holds the RSA instance for the life of the process.
        var rsa = RSA.Create();
#pragma warning restore CA2000
        rsa.ImportFromPem(signing);
        return (new RsaSecurityKey(rsa) { KeyId = "adobridge-" + SigningId }, new SymmetricSecurityKey(Convert.FromBase64String(encryption)) { KeyId = "adobridge-" + EncryptionId });
    }

    private static string Ensure(IDbContextFactory<AdoBridgeDbContext> contexts, SecretProtector protector, TimeProvider clock, string id, Func<string> create)
    {
        using var db = contexts.CreateDbContext();
        if (db.OAuthKeys.AsNoTracking().FirstOrDefault(k => k.Id == id) is { } existing)
        {
            return protector.Unprotect(existing.SealedKey, Purpose);
        }

        db.OAuthKeys.Add(new OAuthKeyEntity { Id = id, SealedKey = protector.Protect(create(), Purpose), CreatedAt = clock.GetUtcNow() });
        try
        {
            db.SaveChanges();
        }
        catch (DbUpdateException)
        {
            // Another instance made the key first: use its.
        }

        using var again = contexts.CreateDbContext();
        return protector.Unprotect(again.OAuthKeys.AsNoTracking().First(k => k.Id == id).SealedKey, Purpose);
    }
}
