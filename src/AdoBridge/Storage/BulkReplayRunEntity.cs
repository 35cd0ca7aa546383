using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AdoBridge.Storage;

/// <summary>
/// A bulk replay run: every event a filter matched when it was counted (up to <see cref="Through"/>), replayed step by
/// step by whichever instance holds its lease; <see cref="Cursor"/> and <see cref="Done"/> say how far it got.
/// </summary>
internal sealed class BulkReplayRunEntity
{
    public required string Id { get; set; }
    public required string EnvironmentId { get; set; }

    /// <summary>The filter as JSON (type, connectionId, status, since, until, source, search).</summary>
    public required string Filter { get; set; }

    /// <summary>The newest event counted: the run stops there. Null when the filter matched nothing.</summary>
    public string? Through { get; set; }

    /// <summary>The last event replayed (<see cref="Through"/> once the run finished); null before the first step.</summary>
    public string? Cursor { get; set; }

    public int Total { get; set; }
    public int Done { get; set; }

    /// <summary>running, finished, cancelled or failed.</summary>
    public required string State { get; set; }

    /// <summary>`console:{user}` or `api-key:{key id}`.</summary>
    public required string StartedBy { get; set; }

    /// <summary>Why a failed run failed.</summary>
    public string? Error { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public string? LeaseOwner { get; set; }
    public DateTimeOffset? LeaseUntil { get; set; }
}

internal sealed class BulkReplayRunEntityConfiguration : IEntityTypeConfiguration<BulkReplayRunEntity>
{
    public void Configure(EntityTypeBuilder<BulkReplayRunEntity> builder)
    {
        builder.ToTable("bulk_replay_runs");
        builder.HasKey(e => e.Id);
    }
}
