using System.Security.Cryptography;

namespace AdoBridge.Storage;

/// <summary>
/// Public ids like `conn_0193a5c2e4f1k3x9q2m7v8w4z6`: a type prefix, 12 hex digits of milliseconds (so ids sort by
/// creation time, which keyset paging relies on), and 80 random bits.
/// </summary>
internal static class Ids
{
    private const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz";

    public static string New(string prefix, TimeProvider clock)
    {
        var millis = clock.GetUtcNow().ToUnixTimeMilliseconds();
        return $"{prefix}_{millis:x12}{RandomNumberGenerator.GetString(Alphabet, 16)}";
    }
}
