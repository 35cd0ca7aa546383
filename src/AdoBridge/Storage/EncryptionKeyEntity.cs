using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AdoBridge.Storage;

/// <summary>A data-encryption key, stored wrapped by the master key. The newest unretired key seals new secrets.</summary>
internal sealed class EncryptionKeyEntity
{
    public required string Id { get; set; }
    public required string MasterKeyId { get; set; }
    public required string WrappedKey { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? RetiredAt { get; set; }
}

internal sealed class EncryptionKeyEntityConfiguration : IEntityTypeConfiguration<EncryptionKeyEntity>
{
    public void Configure(EntityTypeBuilder<EncryptionKeyEntity> builder)
    {
        builder.ToTable("encryption_keys");
        builder.HasKey(e => e.Id);
    }
}
