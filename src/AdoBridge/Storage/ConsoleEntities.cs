using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AdoBridge.Storage;

/// <summary>An admin console account: the name (lower case), a PBKDF2 password hash and a role as the API keys have them.</summary>
internal sealed class ConsoleUserEntity
{
    public required string Id { get; set; }
    public required string UserName { get; set; }
    public required string PasswordHash { get; set; }
    public required string Role { get; set; }

    /// <summary>The environment an admin manages; null for an owner, who manages every environment.</summary>
    public string? EnvironmentId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastSignInAt { get; set; }

    /// <summary>The OpenID Connect issuer of the sign-in linked to this account (null until its first sign-in with one).</summary>
    public string? ExternalIssuer { get; set; }

    /// <summary>The person at <see cref="ExternalIssuer"/> (Entra's `oid`, else `sub`): stable when their e-mail changes.</summary>
    public string? ExternalSubject { get; set; }
}

/// <summary>A one-time link that creates the first owner: only a SHA-256 hash of its token is stored.</summary>
internal sealed class ConsoleSetupTokenEntity
{
    public required string Id { get; set; }
    public required byte[] TokenHash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? UsedAt { get; set; }
}

/// <summary>An invitation to the admin console: the role (and environment, for an admin) the new account gets. Only a SHA-256 hash of its token is stored.</summary>
internal sealed class ConsoleInviteEntity
{
    public required string Id { get; set; }
    public required byte[] TokenHash { get; set; }
    public required string Role { get; set; }
    public string? EnvironmentId { get; set; }

    /// <summary>Whom the owner meant it for, as they wrote it (shown in the list only).</summary>
    public string? Note { get; set; }

    public required string InvitedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? UsedAt { get; set; }
    public string? UsedBy { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}

/// <summary>What someone did in the admin console (or tried to: a failed sign-in is recorded too).</summary>
internal sealed class ConsoleAuditEntity
{
    public required string Id { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public required string Actor { get; set; }
    public required string Action { get; set; }
    public string? Detail { get; set; }
    public string? RemoteAddress { get; set; }
}

/// <summary>One key of the ASP.NET Core Data Protection key ring, as the XML it writes (sealed with the master key).</summary>
internal sealed class DataProtectionKeyEntity
{
    public long Id { get; set; }
    public string? FriendlyName { get; set; }
    public required string Xml { get; set; }
}

internal sealed class ConsoleEntitiesConfiguration :
    IEntityTypeConfiguration<ConsoleUserEntity>, IEntityTypeConfiguration<ConsoleSetupTokenEntity>,
    IEntityTypeConfiguration<ConsoleAuditEntity>, IEntityTypeConfiguration<DataProtectionKeyEntity>, IEntityTypeConfiguration<ConsoleInviteEntity>
{
    public void Configure(EntityTypeBuilder<ConsoleInviteEntity> builder)
    {
        builder.ToTable("console_invites");
        builder.HasKey(e => e.Id);
    }

    public void Configure(EntityTypeBuilder<ConsoleUserEntity> builder)
    {
        builder.ToTable("console_users");
        builder.HasKey(e => e.Id);
    }

    public void Configure(EntityTypeBuilder<ConsoleSetupTokenEntity> builder)
    {
        builder.ToTable("console_setup_tokens");
        builder.HasKey(e => e.Id);
    }

    public void Configure(EntityTypeBuilder<ConsoleAuditEntity> builder)
    {
        builder.ToTable("console_audit");
        builder.HasKey(e => e.Id);
    }

    public void Configure(EntityTypeBuilder<DataProtectionKeyEntity> builder)
    {
        builder.ToTable("data_protection_keys");
        builder.HasKey(e => e.Id);
    }
}
