using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace AdoBridge.Emulator;

/// <summary>
/// Checks a client assertion from a federated issuer (workload identity federation) the way Entra does: a well-formed JWT,
/// from an issuer the app trusts, signed with one of that issuer's keys, within its time range, for a subject and audience of
/// one of the app's federated credentials. Each failure carries the AADSTS code and wording Entra uses.
/// </summary>
internal static class EntraFederation
{
    public const string AssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    public const string DefaultAudience = "api://AzureADTokenExchange";

    /// <summary>Entra allows a little clock skew on either side of the assertion's validity window.</summary>
    private static readonly TimeSpan Skew = TimeSpan.FromMinutes(5);

    public static (string Error, int Code, string Message)? Check(EmulatorState state, EntraAppRegistration app, string assertion)
    {
        if (Parse(assertion) is not var (header, claims, signingInput, signature))
        {
            return ("invalid_request", 50027, EntraErrors.InvalidJwt);
        }

        var issuer = Claim(claims, "iss");
        var subject = Claim(claims, "sub");
        var audiences = Audiences(claims);
        if (issuer is null || subject is null || audiences.Count == 0)
        {
            return ("invalid_request", 50027, EntraErrors.InvalidJwt);
        }

        // Federated credentials match issuer, subject and audience exactly (case-sensitive, as Entra does since 2025).
        var credentials = state.FederatedCredentialsOf(app.ClientId).Where(c => c.Issuer == issuer).ToArray();
        if (credentials.Length == 0)
        {
            return ("invalid_client", 700211, EntraErrors.NoFederatedIssuer(issuer));
        }

        if (!SignedByIssuer(state.FindIssuer(issuer), header, signingInput, signature))
        {
            return ("invalid_request", 50027, EntraErrors.InvalidJwt);
        }

        var now = state.Now;
        var notBefore = Time(claims, "nbf") ?? DateTimeOffset.UnixEpoch;
        var expires = Time(claims, "exp");
        if (expires is null || now > expires + Skew || now < notBefore - Skew)
        {
            return ("invalid_client", 700024, EntraErrors.AssertionTimeRange(now, notBefore, expires ?? DateTimeOffset.UnixEpoch));
        }

        var forSubject = credentials.Where(c => c.Subject == subject).ToArray();
        if (forSubject.Length == 0)
        {
            return ("invalid_client", 700213, EntraErrors.NoFederatedSubject(subject));
        }

        if (!forSubject.Any(c => c.Audiences.Any(audiences.Contains)))
        {
            return ("invalid_request", 70021, EntraErrors.NoFederatedRecord(issuer, subject, string.Join(", ", audiences)));
        }

        return null;
    }

    private static (JsonElement Header, JsonElement Claims, byte[] SigningInput, byte[] Signature)? Parse(string jwt)
    {
        var parts = jwt.Split('.');
        if (parts.Length != 3 || parts.Any(string.IsNullOrEmpty))
        {
            return null;
        }

        try
        {
            using var header = JsonDocument.Parse(Secrets.FromBase64Url(parts[0]));
            using var claims = JsonDocument.Parse(Secrets.FromBase64Url(parts[1]));
            if (header.RootElement.ValueKind != JsonValueKind.Object || claims.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            return (header.RootElement.Clone(), claims.RootElement.Clone(), Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Secrets.FromBase64Url(parts[2]));
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

    private static bool SignedByIssuer(FederatedIssuerRecord? issuer, JsonElement header, byte[] signingInput, byte[] signature)
    {
        if (issuer is null || Claim(header, "alg") != "RS256")
        {
            return false;
        }

        var kid = Claim(header, "kid");
        foreach (var key in issuer.Keys.Where(k => kid is null || k.Kid == kid))
        {
            using var rsa = RSA.Create(new RSAParameters { Modulus = Secrets.FromBase64Url(key.N), Exponent = Secrets.FromBase64Url(key.E) });
            if (rsa.VerifyData(signingInput, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Signs a token as a trusted issuer whose key the emulator made (sandbox testing: the emulator plays the cluster too).</summary>
    public static string Mint(FederatedIssuerRecord issuer, string subject, string audience, DateTimeOffset now, TimeSpan lifetime)
    {
        using var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(Convert.FromBase64String(issuer.PrivateKeyPkcs8 ?? throw new ArgumentException($"The emulator holds no private key for issuer '{issuer.Issuer}': it was registered with its own keys, so sign with those.")), out _);
        var header = new Dictionary<string, string> { ["alg"] = "RS256", ["typ"] = "JWT", ["kid"] = issuer.Keys[0].Kid };
        var claims = new Dictionary<string, object>
        {
            ["iss"] = issuer.Issuer,
            ["sub"] = subject,
            ["aud"] = audience,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["nbf"] = now.ToUnixTimeSeconds(),
            ["exp"] = (now + lifetime).ToUnixTimeSeconds(),
            ["jti"] = Guid.NewGuid().ToString(),
        };
        var input = Secrets.Base64Url(JsonSerializer.SerializeToUtf8Bytes(header)) + "." + Secrets.Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims));
        return input + "." + Secrets.Base64Url(rsa.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    private static string? Claim(JsonElement json, string name)
        => json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static List<string> Audiences(JsonElement claims)
    {
        if (!claims.TryGetProperty("aud", out var aud))
        {
            return [];
        }

        return aud.ValueKind switch
        {
            JsonValueKind.String => [aud.GetString()!],
            JsonValueKind.Array => aud.EnumerateArray().Where(a => a.ValueKind == JsonValueKind.String).Select(a => a.GetString()!).ToList(),
            _ => [],
        };
    }

    private static DateTimeOffset? Time(JsonElement claims, string name)
        => claims.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;
}
