using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AdoBridge.Webhooks.Delivery;

/// <summary>Standard Webhooks signing: secrets are `whsec_` + base64 of 32 random bytes, and a signature is
/// `v1,` + base64(HMAC-SHA256(key, "{webhook-id}.{webhook-timestamp}.{body}")).</summary>
internal static class SigningKey
{
    public const string Prefix = "whsec_";

    public static string NewSecret() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static byte[] Decode(string secret)
        => Convert.FromBase64String(secret.StartsWith(Prefix, StringComparison.Ordinal) ? secret[Prefix.Length..] : secret);

    public static string Sign(byte[] key, string webhookId, long timestamp, ReadOnlySpan<byte> body)
    {
        var header = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{webhookId}.{timestamp}."));
        var message = ArrayPool<byte>.Shared.Rent(header.Length + body.Length);
        try
        {
            header.CopyTo(message, 0);
            body.CopyTo(message.AsSpan(header.Length));
            return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, message.AsSpan(0, header.Length + body.Length)));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(message);
        }
    }
}
