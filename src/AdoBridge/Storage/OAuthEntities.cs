using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OpenIddict.EntityFrameworkCore.Models;

namespace AdoBridge.Storage;

/// <summary>A signing or encryption key of the MCP authorization server, sealed with the master key ring.</summary>
internal sealed class OAuthKeyEntity
{
    public required string Id { get; set; }
    public required string SealedKey { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class OAuthKeyEntityConfiguration : IEntityTypeConfiguration<OAuthKeyEntity>
{
    public void Configure(EntityTypeBuilder<OAuthKeyEntity> builder)
    {
        builder.ToTable("oauth_keys");
        builder.HasKey(e => e.Id);
    }
}

/// <summary>OpenIddict's entities (clients, grants, scopes, tokens) in AdoBridge's tables; migration 0011 creates them.</summary>
internal static class OAuthModel
{
    public static void Configure(ModelBuilder modelBuilder)
    {
        modelBuilder.UseOpenIddict();
        modelBuilder.Entity<OpenIddictEntityFrameworkCoreApplication>().ToTable("oauth_applications");
        modelBuilder.Entity<OpenIddictEntityFrameworkCoreAuthorization>().ToTable("oauth_authorizations");
        modelBuilder.Entity<OpenIddictEntityFrameworkCoreScope>().ToTable("oauth_scopes");
        modelBuilder.Entity<OpenIddictEntityFrameworkCoreToken>().ToTable("oauth_tokens");
    }
}
