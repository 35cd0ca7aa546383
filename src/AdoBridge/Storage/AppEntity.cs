using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AdoBridge.Storage;

/// <summary>An app stored through the admin API: its settings as JSON without secret values, and the values sealed apart.</summary>
internal sealed class AppEntity
{
    public required string Name { get; set; }
    public required string Type { get; set; }
    public required string Settings { get; set; }
    public string? ProtectedSecrets { get; set; }
    public bool IsSandbox { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public int Version { get; set; }
}

internal sealed class AppEntityConfiguration : IEntityTypeConfiguration<AppEntity>
{
    public void Configure(EntityTypeBuilder<AppEntity> builder)
    {
        builder.ToTable("apps");
        builder.HasKey(e => e.Name);
        builder.Property(e => e.Version).IsConcurrencyToken();
    }
}
