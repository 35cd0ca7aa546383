namespace AdoBridge.Client;

/// <summary>An API key as listed: its prefix identifies it, its value is never shown again after creation.</summary>
/// <param name="Id">The key's id.</param>
/// <param name="Prefix">The start of the key, to recognise it.</param>
/// <param name="Name">What the key is for.</param>
/// <param name="Environment">The environment the key sees.</param>
/// <param name="Role">One of <see cref="ApiKeyRole"/>.</param>
/// <param name="CreatedAt">When the key was created.</param>
/// <param name="LastUsedAt">When the key was last used.</param>
/// <param name="RevokedAt">When the key was revoked; null while it works.</param>
public sealed record ApiKey(string Id, string Prefix, string Name, string Environment, string Role, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);

/// <summary>A key just created, with its value: store <see cref="Key"/> now, AdoBridge keeps only its hash.</summary>
/// <param name="Id">The key's id (for revoking it).</param>
/// <param name="Key">The API key value (adbk_…), shown this once.</param>
/// <param name="Name">What the key is for.</param>
/// <param name="Environment">The environment the key sees.</param>
/// <param name="Role">One of <see cref="ApiKeyRole"/>.</param>
/// <param name="CreatedAt">When the key was created.</param>
public sealed record CreatedApiKey(string Id, string Key, string Name, string Environment, string Role, DateTimeOffset CreatedAt)
{
    /// <summary>Describes the key without its value.</summary>
    public override string ToString() => $"CreatedApiKey {{ Id = {Id}, Name = {Name}, Environment = {Environment}, Role = {Role}, Key = *** }}";
}

/// <summary>A key to create.</summary>
public sealed record CreateApiKeyRequest
{
    /// <summary>What the key is for, e.g. "review-bot production" (1 to 100 characters).</summary>
    public required string Name { get; init; }

    /// <summary>The environment the key sees; defaults to the calling key's environment.</summary>
    public string? Environment { get; init; }

    /// <summary>One of <see cref="ApiKeyRole"/>; defaults to product.</summary>
    public string? Role { get; init; }
}

/// <summary>API key roles.</summary>
public static class ApiKeyRole
{
    /// <summary>The product back end: /v1 except /v1/admin.</summary>
    public const string Product = "product";

    /// <summary>Its own environment: what product does, plus that environment's API keys under /v1/admin/api-keys.</summary>
    public const string Admin = "admin";

    /// <summary>Everything: apps, environments, encryption keys, and every environment's keys.</summary>
    public const string Owner = "owner";
}
