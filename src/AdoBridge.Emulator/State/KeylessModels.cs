namespace AdoBridge.Emulator;

/// <summary>A federated identity credential of an app: tokens from <paramref name="Issuer"/> about <paramref name="Subject"/>
/// for one of <paramref name="Audiences"/> may stand in for a client secret (workload identity federation).</summary>
public sealed record FederatedCredentialRecord(string ClientId, string Name, string Issuer, string Subject, IReadOnlyList<string> Audiences);

/// <summary>An external token issuer the emulated Entra trusts (a Kubernetes cluster's OIDC issuer, GitHub Actions…), with its
/// signing keys. When the emulator made the key itself it keeps the private half, so it can mint tokens for sandbox testing.</summary>
public sealed record FederatedIssuerRecord(string Issuer, IReadOnlyList<FederatedIssuerKey> Keys, string? PrivateKeyPkcs8 = null);

/// <summary>One RSA signing key (JWK fields kid, n, e).</summary>
public sealed record FederatedIssuerKey(string Kid, string N, string E);

/// <summary>A managed identity assigned to the emulated Azure host: the system-assigned one, or a user-assigned one.</summary>
public sealed record ManagedIdentityRecord(string ClientId, string TenantId, bool SystemAssigned);
