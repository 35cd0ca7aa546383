using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AdoBridge.Storage;

/// <summary>A connect link for one end user. Only hashes of its URL token, browser binding and OAuth state are kept.</summary>
internal sealed class ConnectSessionEntity
{
    public required string Id { get; set; }
    public required string EnvironmentId { get; set; }
    public required byte[] TokenHash { get; set; }
    public required string EndUserId { get; set; }
    public string? EndUserDisplayName { get; set; }
    public string? AppName { get; set; }
    public string? ReturnUrl { get; set; }
    public string? ReconnectConnectionId { get; set; }
    public required string Status { get; set; }
    public byte[]? BrowserHash { get; set; }
    public byte[]? OAuthStateHash { get; set; }

    /// <summary>Sealed JSON of the flow in progress: PKCE verifier, chosen app, tokens awaiting the organisation choice.</summary>
    public string? Flow { get; set; }
    public string? ConnectionId { get; set; }
    public string? ErrorCode { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
}

internal static class ConnectSessionStatus
{
    public const string Pending = "pending";
    public const string Completed = "completed";

    /// <summary>The last sign-in through the link failed (<see cref="ConnectSessionEntity.ErrorCode"/> says why); "Try again" may still complete it.</summary>
    public const string Failed = "failed";
}

internal sealed class ConnectSessionEntityConfiguration : IEntityTypeConfiguration<ConnectSessionEntity>
{
    public void Configure(EntityTypeBuilder<ConnectSessionEntity> builder)
    {
        builder.ToTable("connect_sessions");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.OAuthStateHash).HasColumnName("oauth_state_hash");
    }
}
