using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AdoBridge.Storage;

/// <summary>One end user's (or service identity's) link to Azure DevOps organisations, with its sealed credentials.</summary>
internal sealed class ConnectionEntity
{
    public required string Id { get; set; }
    public required string EnvironmentId { get; set; }
    public required string EndUserId { get; set; }
    public string? EndUserDisplayName { get; set; }
    public required string AppName { get; set; }
    public required string AuthType { get; set; }
    public required string Status { get; set; }
    public string? StatusReason { get; set; }
    public string? StatusErrorCode { get; set; }

    /// <summary>JSON array of organisation names (Services) or the collection URL (Server).</summary>
    public required string Organizations { get; set; }
    public string? ServerUrl { get; set; }
    public string? IdentityId { get; set; }
    public string? IdentityName { get; set; }
    public string? IdentityEmail { get; set; }
    public string? TenantId { get; set; }
    public string? Scopes { get; set; }

    /// <summary>Sealed access token (or PAT for PAT connections).</summary>
    public string? AccessToken { get; set; }
    public DateTimeOffset? AccessTokenExpiresAt { get; set; }

    /// <summary>Sealed refresh token; replaced atomically with the access token on every refresh.</summary>
    public string? RefreshToken { get; set; }
    public DateTimeOffset? LastRefreshedAt { get; set; }

    /// <summary>When the refresher should next renew this connection's token; null when it never needs to.</summary>
    public DateTimeOffset? NextRefreshAt { get; set; }
    public int RefreshFailures { get; set; }
    public DateTimeOffset? RefreshLeaseUntil { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public int Version { get; set; } = 1;
}

internal sealed class ConnectionEntityConfiguration : IEntityTypeConfiguration<ConnectionEntity>
{
    public void Configure(EntityTypeBuilder<ConnectionEntity> builder)
    {
        builder.ToTable("connections");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Version).IsConcurrencyToken();
    }
}

/// <summary>
/// One organisation of a connection, in lower case: the connections column keeps them as a JSON array for the API, this
/// table lets the console find the connections of an organisation through an index.
/// </summary>
internal sealed class ConnectionOrganizationEntity
{
    public required string EnvironmentId { get; set; }
    public required string Organization { get; set; }
    public required string ConnectionId { get; set; }
}

internal sealed class ConnectionOrganizationEntityConfiguration : IEntityTypeConfiguration<ConnectionOrganizationEntity>
{
    public void Configure(EntityTypeBuilder<ConnectionOrganizationEntity> builder)
    {
        builder.ToTable("connection_organizations");
        builder.HasKey(e => new { e.EnvironmentId, e.Organization, e.ConnectionId });
        // So that EF inserts a new connection before its rows here; the database deletes them with it.
        builder.HasOne<ConnectionEntity>().WithMany().HasForeignKey(e => e.ConnectionId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal static class ConnectionStatus
{
    public const string Active = "active";
    public const string NeedsReauth = "needs_reauth";
    public const string Revoked = "revoked";
    public const string Error = "error";

    public static readonly string[] All = [Active, NeedsReauth, Revoked, Error];
}

internal static class AuthTypes
{
    public const string Entra = "entra";
    public const string Legacy = "legacy";
    public const string Pat = "pat";
    public const string ServicePrincipal = "service-principal";
}
