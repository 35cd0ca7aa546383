using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using AdoBridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace AdoBridge.Security;

/// <summary>
/// Seals every secret at rest with AES-256-GCM under a ring of data-encryption keys. A sealed value reads
/// `enc:v1:{keyId}:{base64url(nonce|ciphertext|tag)}`, and its purpose (for example `app:github:client-secret:1`)
/// is bound in as associated data, so a value copied into another row or field does not decrypt.
/// Rotation adds a key that seals from then on; older keys keep opening what they sealed.
/// </summary>
internal sealed partial class SecretProtector(MasterKey master, IDbContextFactory<AdoBridgeDbContext> contexts, TimeProvider clock, ILogger<SecretProtector> logger)
{
    private const string Prefix = "enc:v1:";
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly ConcurrentDictionary<string, byte[]> keys = new(StringComparer.Ordinal);
    private volatile string? activeKeyId;

    public string ActiveKeyId => activeKeyId ?? throw new InvalidOperationException("The key ring has not been loaded yet.");

    public static bool IsSealed(string? value) => value is not null && value.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>Loads the ring, re-wraps keys sealed under a previous master key, and creates the first key on a new database.</summary>
    public async Task InitializeAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = await db.EncryptionKeys.ToListAsync(ct);
        foreach (var row in rows)
        {
            if (row.MasterKeyId != master.CurrentId)
            {
                if (!master.Previous.TryGetValue(row.MasterKeyId, out var previous))
                {
                    throw new InvalidOperationException(
                        $"Encryption key {row.Id} is wrapped by master key {row.MasterKeyId}, but the master key in use is {master.CurrentId}. " +
                        $"Set {MasterKey.EnvironmentVariable} to the key this database was created with, or put the old key in {MasterKey.PreviousEnvironmentVariable} to re-wrap.");
                }

                var dek = Unwrap(row, previous);
                row.WrappedKey = Wrap(row.Id, dek, master.Current);
                row.MasterKeyId = master.CurrentId;
                LogRewrapped(logger, row.Id);
            }
        }

        await db.SaveChangesAsync(ct);
        if (!rows.Any(r => r.RetiredAt is null))
        {
            var created = NewKey();
            db.EncryptionKeys.Add(created);
            await db.SaveChangesAsync(ct);
            rows.Add(created);
        }

        Load(rows);
    }

    /// <summary>Adds a new data-encryption key and makes it the one that seals; older keys stay for opening.</summary>
    public async Task<string> RotateAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        await db.EncryptionKeys.Where(k => k.RetiredAt == null).ExecuteUpdateAsync(s => s.SetProperty(k => k.RetiredAt, now), ct);
        var created = NewKey();
        db.EncryptionKeys.Add(created);
        await db.SaveChangesAsync(ct);
        Load(await db.EncryptionKeys.AsNoTracking().ToListAsync(ct));
        return created.Id;
    }

    public string Protect(string plaintext, string purpose)
    {
        var keyId = ActiveKeyId;
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[NonceSize + plain.Length + TagSize];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(keys[keyId], TagSize);
        aes.Encrypt(nonce, plain, output.AsSpan(NonceSize, plain.Length), output.AsSpan(NonceSize + plain.Length), AssociatedData(purpose));
        CryptographicOperations.ZeroMemory(plain);
        return $"{Prefix}{keyId}:{Base64Url.EncodeToString(output)}";
    }

    public string Unprotect(string sealedValue, string purpose)
    {
        if (!IsSealed(sealedValue))
        {
            throw new CryptographicException("The stored value is not sealed by AdoBridge.");
        }

        var rest = sealedValue.AsSpan(Prefix.Length);
        var colon = rest.IndexOf(':');
        if (colon <= 0)
        {
            throw new CryptographicException("The stored value is malformed.");
        }

        var keyId = rest[..colon].ToString();
        if (!keys.TryGetValue(keyId, out var key))
        {
            // Another instance may have rotated the ring since it was loaded.
            using var db = contexts.CreateDbContext();
            Load(db.EncryptionKeys.AsNoTracking().ToList());
            if (!keys.TryGetValue(keyId, out key))
            {
                throw new CryptographicException($"The stored value was sealed with key {keyId}, which this database does not hold.");
            }
        }

        var data = Base64Url.DecodeFromChars(rest[(colon + 1)..]);
        if (data.Length < NonceSize + TagSize)
        {
            throw new CryptographicException("The stored value is malformed.");
        }

        var plain = new byte[data.Length - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(data.AsSpan(0, NonceSize), data.AsSpan(NonceSize, plain.Length), data.AsSpan(NonceSize + plain.Length), plain, AssociatedData(purpose));
        return Encoding.UTF8.GetString(plain);
    }

    private void Load(IEnumerable<EncryptionKeyEntity> rows)
    {
        EncryptionKeyEntity? newest = null;
        foreach (var row in rows)
        {
            if (row.MasterKeyId == master.CurrentId)
            {
                keys[row.Id] = Unwrap(row, master.Current);
            }

            if (row.RetiredAt is null && (newest is null || row.CreatedAt > newest.CreatedAt))
            {
                newest = row;
            }
        }

        if (newest is not null)
        {
            activeKeyId = newest.Id;
        }
    }

    private EncryptionKeyEntity NewKey()
    {
        var id = "k" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var dek = RandomNumberGenerator.GetBytes(32);
        return new EncryptionKeyEntity { Id = id, MasterKeyId = master.CurrentId, WrappedKey = Wrap(id, dek, master.Current), CreatedAt = clock.GetUtcNow() };
    }

    private static string Wrap(string id, byte[] dek, byte[] kek)
    {
        var output = new byte[NonceSize + dek.Length + TagSize];
        RandomNumberGenerator.Fill(output.AsSpan(0, NonceSize));
        using var aes = new AesGcm(kek, TagSize);
        aes.Encrypt(output.AsSpan(0, NonceSize), dek, output.AsSpan(NonceSize, dek.Length), output.AsSpan(NonceSize + dek.Length), AssociatedData("dek:" + id));
        return Base64Url.EncodeToString(output);
    }

    private static byte[] Unwrap(EncryptionKeyEntity row, byte[] kek)
    {
        var data = Base64Url.DecodeFromChars(row.WrappedKey);
        var dek = new byte[data.Length - NonceSize - TagSize];
        using var aes = new AesGcm(kek, TagSize);
        try
        {
            aes.Decrypt(data.AsSpan(0, NonceSize), data.AsSpan(NonceSize, dek.Length), data.AsSpan(NonceSize + dek.Length), dek, AssociatedData("dek:" + row.Id));
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new InvalidOperationException(
                $"Encryption key {row.Id} does not open with the master key in use ({MasterKey.EnvironmentVariable} or master.key): it was changed or is corrupt.");
        }

        return dek;
    }

    private static byte[] AssociatedData(string purpose) => Encoding.UTF8.GetBytes("adobridge/v1/" + purpose);

    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Re-wrapped encryption key {KeyId} under the current master key")]
    private static partial void LogRewrapped(ILogger logger, string keyId);
}
