using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AdoBridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace AdoBridge.Mcp;

/// <summary>A recorded tool call as GET /v1/mcp/calls shows it.</summary>
internal sealed record McpCallView(
    string Id, string KeyId, string? ConnectionId, string? Organization, string Tool, JsonElement Arguments, string Outcome, bool IsError,
    int? AzureStatus, int AzureCalls, int DurationMs, DateTimeOffset CreatedAt, string? ApprovalId)
{
    public static McpCallView From(McpCallEntity e) => new(
        e.Id, e.KeyId, e.ConnectionId, e.Organization, e.Tool, JsonDocument.Parse(e.Arguments).RootElement.Clone(), e.Outcome, e.IsError,
        e.AzureStatus, e.AzureCalls, e.DurationMs, e.CreatedAt, e.ApprovalId);
}

/// <summary>A page of recorded calls, oldest first; pass `nextCursor` back as `cursor` for the next page (null on the last).</summary>
internal sealed record McpCallList(IReadOnlyList<McpCallView> Items, string? NextCursor);

/// <summary>What to list; <paramref name="NewestFirst"/> pages backwards (the console's recent calls), the API pages oldest first.</summary>
internal sealed record McpCallFilter(
    string? Tool, string? ConnectionId, string? KeyId, string? Outcome, DateTimeOffset? Since, DateTimeOffset? Until, string? Cursor, int Limit, bool NewestFirst = false);

/// <summary>The MCP audit: every tool call, queued when it ends (<see cref="McpCallWriter"/>), listed per environment with keyset paging.</summary>
internal sealed partial class McpCallLog(IDbContextFactory<AdoBridgeDbContext> contexts, McpCallWriter writer, TimeProvider clock)
{
    public const string IdPrefix = "mcpc";
    private const int MaxArgumentsLength = 8 * 1024;
    private const int MaxValueLength = 1024;

    public async Task RecordAsync(McpCallEntity call, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        db.McpCalls.Add(call);
        await db.SaveChangesAsync(ct);
    }

    public string NewId() => Ids.New(IdPrefix, clock);

    public async Task<McpCallList> ListAsync(string environmentId, McpCallFilter f, CancellationToken ct)
    {
        // Calls that ended before this listing are in it, though their records are written in batches.
        await writer.FlushAsync(ct);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = db.McpCalls.AsNoTracking().Where(c => c.EnvironmentId == environmentId);
        if (f.Tool is not null)
        {
            query = query.Where(c => c.Tool == f.Tool);
        }

        if (f.ConnectionId is not null)
        {
            query = query.Where(c => c.ConnectionId == f.ConnectionId);
        }

        if (f.KeyId is not null)
        {
            query = query.Where(c => c.KeyId == f.KeyId);
        }

        if (f.Outcome is "error")
        {
            query = query.Where(c => c.IsError);
        }
        else if (f.Outcome is not null)
        {
            query = query.Where(c => c.Outcome == f.Outcome);
        }

        if (f.Since is { } since)
        {
            query = query.Where(c => c.CreatedAt >= since);
        }

        if (f.Until is { } until)
        {
            query = query.Where(c => c.CreatedAt <= until);
        }

        if (f.Cursor is not null)
        {
            query = f.NewestFirst ? query.Where(c => string.Compare(c.Id, f.Cursor) < 0) : query.Where(c => string.Compare(c.Id, f.Cursor) > 0);
        }

        var rows = await (f.NewestFirst ? query.OrderByDescending(c => c.Id) : query.OrderBy(c => c.Id)).Take(f.Limit + 1).ToListAsync(ct);
        var page = rows.Take(f.Limit).Select(McpCallView.From).ToList();
        return new McpCallList(page, rows.Count > f.Limit ? page[^1].Id : null);
    }

    /// <summary>
    /// The arguments as the audit keeps them: values under secret-looking names (token, secret, password, key, pat,
    /// credential, authorization; a pipeline variable marked isSecret) replaced by "[redacted]", long strings cut.
    /// </summary>
    public static string Redact(IReadOnlyDictionary<string, JsonElement>? arguments)
    {
        var copy = new JsonObject();
        foreach (var (name, value) in arguments ?? new Dictionary<string, JsonElement>())
        {
            copy[name] = RedactNode(name, JsonSerializer.SerializeToNode(value));
        }

        var text = copy.ToJsonString(McpJson.Options);
        return text.Length <= MaxArgumentsLength ? text : JsonSerializer.Serialize(new { truncated = text[..MaxArgumentsLength] }, McpJson.Options);
    }

    private static JsonNode? RedactNode(string name, JsonNode? node)
    {
        if (node is null)
        {
            return null;
        }

        if (SecretName().IsMatch(name) && name != "continuationToken")
        {
            return "[redacted]";
        }

        switch (node)
        {
            case JsonObject o when o["isSecret"]?.GetValueKind() == JsonValueKind.True:
                return new JsonObject { ["isSecret"] = true, ["value"] = "[redacted]" };
            case JsonObject o:
                var obj = new JsonObject();
                foreach (var (key, child) in o)
                {
                    obj[key] = RedactNode(key, child?.DeepClone());
                }

                return obj;
            case JsonArray a:
                return new JsonArray(a.Select(child => RedactNode(name, child?.DeepClone())).ToArray());
            case JsonValue v when v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() is { Length: > MaxValueLength } s:
                return s[..MaxValueLength] + "…";
            default:
                return node.DeepClone();
        }
    }

    [GeneratedRegex("token|secret|password|passwd|apikey|api_key|credential|authorization|(^|[^a-z])pat([^a-z]|$)|private.?key", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();
}
