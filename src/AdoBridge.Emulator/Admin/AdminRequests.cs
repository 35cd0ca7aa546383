namespace AdoBridge.Emulator;

internal sealed record AddTenantRequest(string DisplayName, string Domain, string? Id = null);

internal sealed record AddUserRequest(string UserPrincipalName, string DisplayName, string? TenantId = null, string[]? Organizations = null, string[]? GuestOfTenantIds = null, Guid? Id = null);

internal sealed record AddOrganizationRequest(string Name, string? TenantId = null, bool OAuthPolicyEnabled = true, Guid? Id = null);

internal sealed record AddProjectRequest(string Name, string? Description = null);

internal sealed record OAuthPolicyRequest(bool Enabled);

internal sealed record ApiVersionRequest(string? Latest);

internal sealed record AddMemberRequest(string? UserPrincipalName = null, string? ServicePrincipalClientId = null);

internal sealed record SecretRequest(string? SecretId = null, string? Value = null, DateTimeOffset? ExpiresAt = null);

internal sealed record RegisterEntraAppRequest(string DisplayName, string[] RedirectUris, string? TenantId = null, string? ClientId = null, SecretRequest[]? Secrets = null);

internal sealed record RegisterLegacyAppRequest(string DisplayName, string CallbackUrl, string[] Scopes, string? AppId = null, string? ClientSecret = null, DateTimeOffset? SecretExpiresAt = null);

internal sealed record CreatePatRequest(string UserPrincipalName, string[] Scopes, string? Organization = null, DateTimeOffset? ExpiresAt = null, string? Value = null);

internal sealed record AdvanceClockRequest(double? Seconds = null, TimeSpan? By = null);

internal sealed record UserClientRequest(string UserPrincipalName, string ClientId);

internal sealed record FaultRequest(string PathPrefix, int StatusCode, string? Method = null, int Count = 1, Dictionary<string, string>? Headers = null, string? Body = null, string? ContentType = null);

internal sealed record BulkRefreshTokensRequest(string ClientId, string UserPrincipalName, int Count);
