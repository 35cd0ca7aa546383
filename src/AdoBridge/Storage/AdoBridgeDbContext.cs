using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace AdoBridge.Storage;

/// <summary>The one EF Core model over both engines. The schema itself is owned by the SQL migrations, not by EF.</summary>
internal sealed class AdoBridgeDbContext(DbContextOptions<AdoBridgeDbContext> options) : DbContext(options)
{
    public DbSet<EnvironmentEntity> Environments => Set<EnvironmentEntity>();
    public DbSet<ApiKeyEntity> ApiKeys => Set<ApiKeyEntity>();
    public DbSet<EncryptionKeyEntity> EncryptionKeys => Set<EncryptionKeyEntity>();
    public DbSet<AppEntity> Apps => Set<AppEntity>();
    public DbSet<ConnectionEntity> Connections => Set<ConnectionEntity>();
    public DbSet<ConnectionOrganizationEntity> ConnectionOrganizations => Set<ConnectionOrganizationEntity>();
    public DbSet<ConnectSessionEntity> ConnectSessions => Set<ConnectSessionEntity>();
    public DbSet<EventEntity> Events => Set<EventEntity>();
    public DbSet<EventReplayEntity> EventReplays => Set<EventReplayEntity>();
    public DbSet<BulkReplayRunEntity> BulkReplayRuns => Set<BulkReplayRunEntity>();
    public DbSet<AuditEntity> AuditLog => Set<AuditEntity>();
    public DbSet<SubscriptionEntity> Subscriptions => Set<SubscriptionEntity>();
    public DbSet<ServiceHookEntity> ServiceHooks => Set<ServiceHookEntity>();
    public DbSet<WebhookEndpointEntity> WebhookEndpoints => Set<WebhookEndpointEntity>();
    public DbSet<DeliveryEntity> Deliveries => Set<DeliveryEntity>();
    public DbSet<DeliveryAttemptEntity> DeliveryAttempts => Set<DeliveryAttemptEntity>();
    public DbSet<McpCallEntity> McpCalls => Set<McpCallEntity>();
    public DbSet<McpPolicyEntity> McpPolicies => Set<McpPolicyEntity>();
    public DbSet<McpApprovalEntity> McpApprovals => Set<McpApprovalEntity>();
    public DbSet<ConsoleUserEntity> ConsoleUsers => Set<ConsoleUserEntity>();
    public DbSet<ConsoleInviteEntity> ConsoleInvites => Set<ConsoleInviteEntity>();
    public DbSet<ConsoleSetupTokenEntity> ConsoleSetupTokens => Set<ConsoleSetupTokenEntity>();
    public DbSet<ConsoleAuditEntity> ConsoleAudit => Set<ConsoleAuditEntity>();
    public DbSet<DataProtectionKeyEntity> DataProtectionKeys => Set<DataProtectionKeyEntity>();
    public DbSet<OAuthKeyEntity> OAuthKeys => Set<OAuthKeyEntity>();

    // SQLite's write gate, when this context's interceptors include it.
    private readonly SqliteWriteGateInterceptor? writeTurns = options.FindExtension<CoreOptionsExtension>()?.Interceptors?.OfType<SqliteWriteGateInterceptor>().FirstOrDefault();

    public override void Dispose()
    {
        EndWriteTurn();
        base.Dispose();
    }

    public override ValueTask DisposeAsync()
    {
        EndWriteTurn();
        return base.DisposeAsync();
    }

    /// <summary>
    /// A turn in SQLite's write gate that is still held for this context's connection (its transaction was disposed without
    /// a commit or a rollback, which no interceptor hears of) ends with the context at the latest.
    /// </summary>
    private void EndWriteTurn()
    {
        if (writeTurns?.Gate is { Current.Owner: not null } gate && gate.HeldFor(Database.GetDbConnection()) is { } turn)
        {
            turn.Dispose();
        }
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(AdoBridgeDbContext).Assembly);
        OAuthModel.Configure(modelBuilder);

        // The SQL migrations name columns in snake_case; map every property that does not name its column itself.
        foreach (var property in modelBuilder.Model.GetEntityTypes().SelectMany(e => e.GetProperties()))
        {
            if (property.FindAnnotation(RelationalAnnotationNames.ColumnName) is null)
            {
                property.SetColumnName(SnakeCase(property.Name));
            }
        }
    }

    /// <summary>How SQLite stores an instant: fixed-width UTC ISO text, so text order is time order.</summary>
    public static string SqliteText(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    internal static string SnakeCase(string name)
    {
        var b = new System.Text.StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0 && !char.IsUpper(name[i - 1]))
            {
                b.Append('_');
            }

            b.Append(char.ToLowerInvariant(name[i]));
        }

        return b.ToString();
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no date type: store UTC instants as fixed-width ISO text so that text order is time order
        // and EF can translate comparisons. PostgreSQL keeps its native timestamptz.
        if (Database.IsSqlite())
        {
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcIsoTextConverter>();
        }
    }

    private sealed class UtcIsoTextConverter() : ValueConverter<DateTimeOffset, string>(
        v => SqliteText(v),
        v => DateTimeOffset.Parse(v, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal));
}
