using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace AdoBridge.Emulator;

/// <summary>Signs JWT-shaped tokens with the emulator's RSA key (published at the keys endpoint) and checks them.</summary>
internal sealed class JwtIssuer
{
    private readonly RSA _rsa;

    public JwtIssuer(RSA rsa)
    {
        _rsa = rsa;
        var parameters = rsa.ExportParameters(false);
        KeyId = Secrets.Base64Url(SHA256.HashData(parameters.Modulus!).AsSpan(0, 20));
        Modulus = Secrets.Base64Url(parameters.Modulus);
        Exponent = Secrets.Base64Url(parameters.Exponent);
    }

    public string KeyId { get; }

    public string Modulus { get; }

    public string Exponent { get; }

    public string Create(IReadOnlyDictionary<string, object?> claims)
    {
        var header = new Dictionary<string, string> { ["typ"] = "JWT", ["alg"] = "RS256", ["kid"] = KeyId, ["x5t"] = KeyId };
        var signingInput = Secrets.Base64Url(JsonSerializer.SerializeToUtf8Bytes(header)) + "." +
                           Secrets.Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims));
        var signature = _rsa.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Secrets.Base64Url(signature);
    }

    /// <summary>The payload of a token this emulator signed, or null for anything else.</summary>
    public JsonElement? ReadVerified(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return null;
        }

        try
        {
            var signature = Secrets.FromBase64Url(parts[2]);
            var input = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
            if (!_rsa.VerifyData(input, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
            {
                return null;
            }

            using var doc = JsonDocument.Parse(Secrets.FromBase64Url(parts[1]));
            return doc.RootElement.Clone();
        }
        catch (FormatException)
        {
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
