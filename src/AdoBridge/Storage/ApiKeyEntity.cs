using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AdoBridge.Storage;

/// <summary>A product API key: only its public id and a SHA-256 hash of the whole key are stored.</summary>
internal sealed class ApiKeyEntity
{
    public required string Id { get; set; }
    public required string EnvironmentId { get; set; }
    public required string Name { get; set; }
    public required string Role { get; set; }
    public required byte[] Hash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}

internal sealed class ApiKeyEntityConfiguration : IEntityTypeConfiguration<ApiKeyEntity>
{
    public void Configure(EntityTypeBuilder<ApiKeyEntity> builder)
    {
        builder.ToTable("api_keys");
        builder.HasKey(e => e.Id);
    }
}
