namespace AdoBridge.Emulator;

internal enum TokenKind
{
    /// <summary>Delegated Entra token (authorization code / refresh token).</summary>
    Entra,
    /// <summary>App-only Entra token (client credentials).</summary>
    EntraApp,
    /// <summary>Legacy Azure DevOps OAuth token.</summary>
    Legacy,
}

/// <summary>One sign-in of a user to a client; refresh and access tokens hang off it so revocation reaches them all.</summary>
internal sealed record GrantRecord(string Id, TokenKind Kind, string ClientId, Guid UserId, string TenantId, IReadOnlyList<string> Scopes, bool OfflineAccess, DateTimeOffset IssuedAt, DateTimeOffset? RevokedAt);

internal sealed record RefreshTokenRecord(string GrantId, DateTimeOffset IssuedAt);

internal sealed record AccessTokenRecord(string Jti, TokenKind Kind, string ClientId, string TenantId, Guid SubjectId, string? GrantId, IReadOnlyList<string> Scopes, DateTimeOffset ExpiresAt);

internal sealed record AuthCodeRecord(
    TokenKind Kind,
    string ClientId,
    string RedirectUri,
    Guid UserId,
    string TenantId,
    IReadOnlyList<string> Scopes,
    bool OfflineAccess,
    bool OpenId,
    string? CodeChallenge,
    string? CodeChallengeMethod,
    string? Nonce,
    DateTimeOffset IssuedAt,
    bool Redeemed,
    bool Email = false);

internal sealed record PatRecord(Guid UserId, string? Organization, IReadOnlyList<string> Scopes, DateTimeOffset? ExpiresAt);

internal sealed record ConsentRecord(Guid UserId, string ClientId, DateTimeOffset GrantedAt);

/// <summary>Everything the emulator remembers; serialised as a whole to the state file.
/// Credentials (codes, refresh tokens, PATs) are keyed by their SHA-256 so the file holds no usable token.</summary>
internal sealed class EmulatorData
{
    public long ClockOffsetTicks { get; set; }
    public string? SigningKeyPkcs8 { get; set; }
    public List<EmulatorTenant> Tenants { get; set; } = [];
    public List<EmulatorUser> Users { get; set; } = [];
    public List<EmulatorOrganization> Organizations { get; set; } = [];
    public List<EntraAppRegistration> EntraApps { get; set; } = [];
    public List<LegacyAppRegistration> LegacyApps { get; set; } = [];
    public List<ConsentRecord> Consents { get; set; } = [];
    public List<FederatedCredentialRecord> FederatedCredentials { get; set; } = [];
    public List<FederatedIssuerRecord> FederatedIssuers { get; set; } = [];
    public List<ManagedIdentityRecord> ManagedIdentities { get; set; } = [];

    /// <summary>The secret the App Service style managed-identity endpoint expects in X-IDENTITY-HEADER (IDENTITY_HEADER).</summary>
    public string? ManagedIdentityHeader { get; set; }
    public Dictionary<string, GrantRecord> Grants { get; set; } = [];
    public Dictionary<string, RefreshTokenRecord> RefreshTokens { get; set; } = [];
    public Dictionary<string, AccessTokenRecord> AccessTokens { get; set; } = [];
    public Dictionary<string, AuthCodeRecord> Codes { get; set; } = [];
    public Dictionary<string, PatRecord> Pats { get; set; } = [];

    // Azure DevOps content: Git, pull requests, work items, pipelines, service hooks.
    public List<GitRepositoryData> Repositories { get; set; } = [];
    public Dictionary<string, GitCommitData> Commits { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    public List<GitPushData> Pushes { get; set; } = [];
    public List<GitStatusData> Statuses { get; set; } = [];
    public List<EmulatorSyntheticFile> SyntheticFiles { get; set; } = [];
    public List<PullRequestData> PullRequests { get; set; } = [];
    public List<WorkItemData> WorkItems { get; set; } = [];
    public List<PipelineData> Pipelines { get; set; } = [];
    public List<PipelineRunData> PipelineRuns { get; set; } = [];
    public List<HookSubscriptionData> HookSubscriptions { get; set; } = [];

    /// <summary>Last id handed out per kind ("pullRequest", "workItem", "push", …).</summary>
    public Dictionary<string, int> Sequences { get; set; } = new(StringComparer.Ordinal);

    public int NextId(string kind) => Sequences[kind] = Sequences.GetValueOrDefault(kind) + 1;
}
