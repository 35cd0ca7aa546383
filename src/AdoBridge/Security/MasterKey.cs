using System.Security.Cryptography;
using System.Text;
using AdoBridge.Hosting;

namespace AdoBridge.Security;

/// <summary>
/// The key that wraps the data-encryption keys. It comes from `ADOBRIDGE_MASTER_KEY` (32 random bytes, base64) or,
/// failing that, from `master.key` in the data folder, created on first run readable by the owner only.
/// Keys named in `ADOBRIDGE_MASTER_KEY_PREVIOUS` (comma-separated) still unwrap old keys, which are then re-wrapped.
/// </summary>
internal sealed class MasterKey
{
    public const string EnvironmentVariable = "ADOBRIDGE_MASTER_KEY";
    public const string PreviousEnvironmentVariable = "ADOBRIDGE_MASTER_KEY_PREVIOUS";
    private const string FileName = "master.key";

    private MasterKey(byte[] current, IReadOnlyList<byte[]> previous, string source)
    {
        Current = current;
        CurrentId = IdOf(current);
        Previous = previous.ToDictionary(IdOf, k => k, StringComparer.Ordinal);
        Source = source;
    }

    public byte[] Current { get; }
    public string CurrentId { get; }
    public IReadOnlyDictionary<string, byte[]> Previous { get; }

    /// <summary>Where the key came from, for the start-up banner (never the key itself).</summary>
    public string Source { get; }

    public static MasterKey Load(IConfiguration configuration, DataDirectory data)
    {
        var previous = (configuration[PreviousEnvironmentVariable] ?? string.Empty)
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(k => Decode(k, PreviousEnvironmentVariable))
            .ToList();

        var configured = configuration[EnvironmentVariable];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new MasterKey(Decode(configured.Trim(), EnvironmentVariable), previous, EnvironmentVariable);
        }

        var path = data.Combine(FileName);
        if (File.Exists(path))
        {
            data.NarrowIfPresent(FileName); // a key file copied in with a wider mode is made owner-only again
            return new MasterKey(Decode(File.ReadAllText(path).Trim(), path), previous, path);
        }

        var key = RandomNumberGenerator.GetBytes(32);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(path, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(Convert.ToBase64String(key));
        }

        return new MasterKey(key, previous, path + " (created)");
    }

    internal static MasterKey FromBytes(byte[] key, params byte[][] previous) => new(key, previous, "test");

    internal static string IdOf(byte[] key)
        => Convert.ToHexStringLower(SHA256.HashData([.. Encoding.ASCII.GetBytes("adobridge/master-key-id/v1:"), .. key]))[..12];

    private static byte[] Decode(string value, string source)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(value.Replace('-', '+').Replace('_', '/').PadRight((value.Length + 3) / 4 * 4, '='));
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"{source} is not base64. Generate a master key with `openssl rand -base64 32`.");
        }

        if (bytes.Length != 32)
        {
            throw new InvalidOperationException($"{source} must hold 32 random bytes in base64 (it holds {bytes.Length}). Generate one with `openssl rand -base64 32`.");
        }

        return bytes;
    }
}
