using System.Text.RegularExpressions;
using AdoBridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace AdoBridge.Environments;

internal sealed partial class EnvironmentService(IDbContextFactory<AdoBridgeDbContext> contexts, TimeProvider clock)
{
    public const string Sandbox = "sandbox";
    public const string Production = "production";

    public static bool IsValidId(string id) => IdPattern().IsMatch(id);

    public async Task<EnvironmentEntity?> FindAsync(string id, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Environments.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, ct);
    }

    public async Task<IReadOnlyList<EnvironmentEntity>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Environments.AsNoTracking().OrderBy(e => e.CreatedAt).ToListAsync(ct);
    }

    public async Task<EnvironmentEntity> EnsureAsync(string id, string name, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var existing = await db.Environments.FirstOrDefaultAsync(e => e.Id == id, ct);
        if (existing is not null)
        {
            return existing;
        }

        var created = new EnvironmentEntity { Id = id, Name = name, CreatedAt = clock.GetUtcNow() };
        db.Environments.Add(created);
        try
        {
            await db.SaveChangesAsync(ct);
            return created;
        }
        catch (DbUpdateException)
        {
            // Another request created it between the read and the insert: theirs is the environment.
            await using var again = await contexts.CreateDbContextAsync(ct);
            return await again.Environments.FirstOrDefaultAsync(e => e.Id == id, ct) ?? throw new InvalidOperationException($"Environment '{id}' could not be created.");
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{0,39}$")]
    private static partial Regex IdPattern();
}
