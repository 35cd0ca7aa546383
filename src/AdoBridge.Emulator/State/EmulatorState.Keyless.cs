using System.Security.Cryptography;

namespace AdoBridge.Emulator;

/// <summary>Keyless sign-in: managed identities of the emulated host, and federated credentials with the issuers they trust.</summary>
public sealed partial class EmulatorState
{
    /// <summary>The value the App Service style managed-identity endpoint expects in X-IDENTITY-HEADER; made once, kept in the state file.</summary>
    public string ManagedIdentityHeader => Read(d => d.ManagedIdentityHeader) ?? Write(d => d.ManagedIdentityHeader ??= Secrets.NewToken("emuidh_", 24));

    public IReadOnlyList<ManagedIdentityRecord> ManagedIdentities => Read(d => d.ManagedIdentities.ToArray());

    public IReadOnlyList<FederatedCredentialRecord> FederatedCredentials => Read(d => d.FederatedCredentials.ToArray());

    /// <summary>Assigns a managed identity to the emulated host. It is also a service principal (an app registration without
    /// secrets), so it can be added to organisations like any other. There is at most one system-assigned identity.</summary>
    public ManagedIdentityRecord AssignManagedIdentity(string clientId, string tenantId, bool systemAssigned, string displayName) => Write(d =>
    {
        if (FindTenantLocked(tenantId) is null)
        {
            throw new ArgumentException($"No tenant '{tenantId}'.", nameof(tenantId));
        }

        d.ManagedIdentities.RemoveAll(m => string.Equals(m.ClientId, clientId, StringComparison.OrdinalIgnoreCase) || (systemAssigned && m.SystemAssigned));
        var identity = new ManagedIdentityRecord(clientId, tenantId, systemAssigned);
        d.ManagedIdentities.Add(identity);
        if (FindEntraAppLocked(clientId) is null)
        {
            d.EntraApps.Add(new EntraAppRegistration(tenantId, clientId, displayName, [], []));
        }

        return identity;
    });

    /// <summary>The identity a managed-identity token request names: by client id, or the system-assigned one when none is named.</summary>
    internal ManagedIdentityRecord? FindManagedIdentity(string? clientId) => Read(d => string.IsNullOrEmpty(clientId)
        ? d.ManagedIdentities.FirstOrDefault(m => m.SystemAssigned)
        : d.ManagedIdentities.FirstOrDefault(m => string.Equals(m.ClientId, clientId, StringComparison.OrdinalIgnoreCase)));

    /// <summary>Adds a federated credential to an app (replacing one of the same name), as the portal's Certificates &amp; secrets → Federated credentials does.</summary>
    public FederatedCredentialRecord AddFederatedCredential(string clientId, string name, string issuer, string subject, IReadOnlyList<string> audiences) => Write(d =>
    {
        if (FindEntraAppLocked(clientId) is null)
        {
            throw new ArgumentException($"No app '{clientId}'.", nameof(clientId));
        }

        d.FederatedCredentials.RemoveAll(c => string.Equals(c.ClientId, clientId, StringComparison.OrdinalIgnoreCase) && c.Name == name);
        var credential = new FederatedCredentialRecord(clientId, name, issuer, subject, audiences.ToArray());
        d.FederatedCredentials.Add(credential);
        return credential;
    });

    public void RemoveFederatedCredential(string clientId, string name) => Write(d =>
    {
        if (d.FederatedCredentials.RemoveAll(c => string.Equals(c.ClientId, clientId, StringComparison.OrdinalIgnoreCase) && c.Name == name) == 0)
        {
            throw new ArgumentException($"App '{clientId}' has no federated credential '{name}'.", nameof(name));
        }
    });

    internal IReadOnlyList<FederatedCredentialRecord> FederatedCredentialsOf(string clientId) =>
        Read(d => d.FederatedCredentials.Where(c => string.Equals(c.ClientId, clientId, StringComparison.OrdinalIgnoreCase)).ToArray());

    /// <summary>Trusts an issuer with the given public keys, or (when none are given) with a key the emulator makes and keeps, to mint tokens with.</summary>
    public FederatedIssuerRecord TrustIssuer(string issuer, IReadOnlyList<FederatedIssuerKey>? keys)
    {
        string? privateKey = null;
        if (keys is null || keys.Count == 0)
        {
            using var rsa = RSA.Create(2048);
            var parameters = rsa.ExportParameters(false);
            keys = [new FederatedIssuerKey(Secrets.Base64Url(SHA256.HashData(parameters.Modulus!).AsSpan(0, 16)), Secrets.Base64Url(parameters.Modulus), Secrets.Base64Url(parameters.Exponent))];
            privateKey = Convert.ToBase64String(rsa.ExportPkcs8PrivateKey());
        }

        var record = new FederatedIssuerRecord(issuer, keys.ToArray(), privateKey);
        Write(d =>
        {
            d.FederatedIssuers.RemoveAll(i => i.Issuer == issuer);
            d.FederatedIssuers.Add(record);
        });
        return record with { PrivateKeyPkcs8 = null };
    }

    internal FederatedIssuerRecord? FindIssuer(string issuer) => Read(d => d.FederatedIssuers.FirstOrDefault(i => i.Issuer == issuer));
}
