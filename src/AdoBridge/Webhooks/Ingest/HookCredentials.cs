using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace AdoBridge.Webhooks.Ingest;

/// <summary>
/// The two things that make an ingest call genuine: an unguessable path (which service hook it is) and a secret (that
/// Azure DevOps, not a guesser who saw the path in a log, is calling). Only hashes are looked up and compared.
/// </summary>
internal static class HookCredentials
{
    /// <summary>Basic-auth user name Azure DevOps sends; the password is the secret.</summary>
    public const string UserName = "adobridge";

    /// <summary>A custom header that may carry the same secret. AdoBridge no longer puts the secret there (Azure DevOps shows
    /// httpHeaders in clear to whoever lists subscriptions); ingest still accepts it.</summary>
    public const string SecretHeader = "X-AdoBridge-Hook-Secret";

    public const string SecretPurpose = "service-hook-secret";

    /// <summary>256 random bits, URL-safe: the path segment after /hooks/ado/.</summary>
    public static string NewPath() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static string NewSecret() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static byte[] Hash(string value) => SHA256.HashData(Encoding.UTF8.GetBytes(value));

    /// <summary>Compares a presented secret with the stored hash in time that does not depend on where they differ.</summary>
    public static bool Matches(string presented, byte[] storedHash)
        => CryptographicOperations.FixedTimeEquals(Hash(presented), storedHash);
}
