using System.Security.Cryptography;
using System.Text;

namespace AdoBridge.ApiKeys;

/// <summary>
/// Keys read `adbk_{12-char id}_{43-char secret}`: the fixed prefix lets secret scanners find leaked keys,
/// the id finds the stored row, and only a SHA-256 of the whole key is kept.
/// </summary>
internal static class ApiKeyFormat
{
    public const string Prefix = "adbk_";
    private const int IdLength = 12;
    private const string IdAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    private const string FirstIdAlphabet = "abcdefghijklmnopqrstuvwyz0123456789";

    public static string NewKey(out string id)
    {
        // Ids of operator-chosen keys start with 'x' (see IdOf): generated ids never do, so listings tell them apart.
        id = RandomNumberGenerator.GetString(FirstIdAlphabet, 1) + RandomNumberGenerator.GetString(IdAlphabet, IdLength - 1);
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', 'A').Replace('/', 'B');
        return $"{Prefix}{id}_{secret}";
    }

    /// <summary>The row id for a presented key: the embedded id for AdoBridge-made keys, a hash-derived id for a bootstrap key chosen by an operator.</summary>
    public static string IdOf(string key)
        => key.Length > Prefix.Length + IdLength + 1 && key.StartsWith(Prefix, StringComparison.Ordinal) && key[Prefix.Length + IdLength] == '_'
            ? key.Substring(Prefix.Length, IdLength)
            : "x" + Convert.ToHexStringLower(Hash(key))[..(IdLength - 1)];

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>Whether <paramref name="key"/> hashes to <paramref name="storedHash"/>, compared in constant time; allocates nothing for a key of usual length.</summary>
    public static bool Matches(string key, byte[] storedHash)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        var length = Encoding.UTF8.GetByteCount(key);
        if (length > 512)
        {
            SHA256.HashData(Encoding.UTF8.GetBytes(key), hash);
        }
        else
        {
            Span<byte> utf8 = stackalloc byte[length];
            Encoding.UTF8.GetBytes(key, utf8);
            SHA256.HashData(utf8, hash);
            CryptographicOperations.ZeroMemory(utf8);
        }

        return CryptographicOperations.FixedTimeEquals(hash, storedHash);
    }

    /// <summary>What listings show: enough to recognise a key, never enough to use it.</summary>
    public static string DisplayPrefix(string id) => id.StartsWith('x') ? $"(custom key {id})" : $"{Prefix}{id}_…";

    public static string? ValidateCustomKey(string key)
    {
        if (key.Length < 32)
        {
            return $"is {key.Length} characters long; use at least 32 random characters (for example the output of `openssl rand -hex 32`).";
        }

        return key.Any(char.IsWhiteSpace) ? "contains whitespace or a line break; remove it." : null;
    }
}
