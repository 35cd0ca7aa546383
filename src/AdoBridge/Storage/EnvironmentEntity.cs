using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AdoBridge.Storage;

/// <summary>An isolated set of connections and settings (for example `sandbox` and `production`); each API key belongs to one.</summary>
internal sealed class EnvironmentEntity
{
    public required string Id { get; set; }
    public required string Name { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class EnvironmentEntityConfiguration : IEntityTypeConfiguration<EnvironmentEntity>
{
    public void Configure(EntityTypeBuilder<EnvironmentEntity> builder)
    {
        builder.ToTable("environments");
        builder.HasKey(e => e.Id);
    }
}
