using System.Diagnostics;
using System.Security.Claims;
using System.Text.Json;
using AdoBridge.Actions;
using AdoBridge.ApiKeys;
using AdoBridge.McpOAuth;
using AdoBridge.Mcp.Policies;
using AdoBridge.Storage;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace AdoBridge.Mcp;

/// <summary>
/// tools/list and tools/call. Both read the HTTP request they came on (its API key and X-MCP-* / X-AdoBridge-Connection
/// headers), so filtering and the connection hold per request in stateless and stateful sessions alike.
/// </summary>
internal sealed class McpToolHandlers(
    McpToolRegistry registry,
    IHttpContextAccessor http,
    ActionCaller caller,
    McpCallLog log,
    McpCallWriter writer,
    McpPolicyStore policies,
    McpApprovalGate approvals,
    TimeProvider clock,
    IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
{
    public const string ConnectionHeader = "X-AdoBridge-Connection";

    /// <summary>What a 2025-11-25+ client may mirror `connection` into (SEP-2243 parameter headers).</summary>
    public const string ConnectionParamHeader = "Mcp-Param-" + McpToolInput.ConnectionHeaderParameter;

    public async ValueTask<ListToolsResult> ListAsync(RequestContext<ListToolsRequestParams> request, CancellationToken ct)
    {
        var filter = Filter();
        var policy = await policies.ForAsync(McpPolicySubject.Of(Http.User), ct);
        return new ListToolsResult { Tools = [.. registry.Tools.Where(t => McpCallPolicy.Allows(policy, t) && filter.Allows(t)).Select(t => t.Protocol)] };
    }

    public async ValueTask<CallToolResult> CallAsync(RequestContext<CallToolRequestParams> request, CancellationToken ct)
    {
        var name = request.Params?.Name ?? string.Empty;
        var arguments = (IReadOnlyDictionary<string, JsonElement>?)request.Params?.Arguments?.AsReadOnly() ?? new Dictionary<string, JsonElement>();
        var user = Http.User;
        var started = Stopwatch.GetTimestamp();
        var tool = registry.Find(name);
        var connection = Connection(arguments);
        var policy = tool is null ? null : await policies.ForAsync(McpPolicySubject.Of(user), ct);
        if (tool is not null && McpCallPolicy.Check(policy, tool, arguments) is { } refusal)
        {
            // The operator's policy, not the request, leaves it out: a tool error that names the policy, so the agent stops trying.
            var (refused, refusedOutcome) = McpToolResults.Error(StatusCodes.Status403Forbidden, refusal.Code, refusal.Detail,
                new Dictionary<string, object?> { ["policy"] = policy!.Subject });
            await RecordAsync(user, tool.Name, connection, arguments, refusedOutcome, null, started, null, ct);
            return refused;
        }

        if (tool is null || !Filter().Allows(tool))
        {
            await RecordAsync(user, name, connection, arguments, new McpToolResults.Outcome(tool is null ? "unknown_tool" : "tool_not_enabled", true), null, started, null, ct);
            throw new McpProtocolException(tool is null
                ? $"Unknown tool: '{Cut(name)}'. tools/list names the tools."
                : $"Tool '{tool.Name}' is not enabled for this request: the X-MCP-Toolsets, X-MCP-Tools or X-MCP-Readonly headers leave it out.", McpErrorCode.InvalidParams);
        }

        CallToolResult result;
        McpToolResults.Outcome outcome;
        AzureCallTally? tally = null;
        string? approvalId = null;
        // An OAuth token acts as the one connection its user signed in with, and no other.
        var bound = user.FindFirstValue(McpOAuthClaims.Connection);
        if (bound is not null && connection is not null && connection != bound)
        {
            (result, outcome) = McpToolResults.Error(StatusCodes.Status403Forbidden, "connection_not_allowed",
                $"This OAuth token acts as connection {bound} only: leave out `connection`, or sign in again as the other connection.");
        }
        else if ((connection ??= bound) is null)
        {
            (result, outcome) = McpToolResults.Error(StatusCodes.Status400BadRequest, "connection_required",
                $"Say which connection to act as: the `connection` argument, or the {ConnectionHeader} header on every request (GET /v1/connections lists them).");
        }
        else if (tool.Required.FirstOrDefault(r => !arguments.TryGetValue(r, out var v) || v.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined) is { } missing)
        {
            (result, outcome) = InvalidArgument(missing, $"`{missing}` is required.");
        }
        else
        {
            // Where the policy asks for it, a destructive call runs only with an approval a person gave (McpApprovalGate).
            var verdict = policy is { ApproveDestructive: true } && tool.Effect == McpToolEffect.Destructive
                ? await approvals.CheckAsync(policy, user.EnvironmentId(), tool, connection!, arguments, ct)
                : null;
            approvalId = verdict?.ApprovalId;
            if (verdict is { Result: { } answer, Outcome: { } answered })
            {
                (result, outcome) = (answer, answered);
            }
            else
            {
                (result, outcome, tally) = await InvokeAsync(tool, arguments, connection!, user, ct);
            }
        }

        await RecordAsync(user, tool.Name, connection, arguments, outcome, tally, started, approvalId, ct);
        return result;
    }

    private async Task<(CallToolResult Result, McpToolResults.Outcome Outcome, AzureCallTally? Tally)> InvokeAsync(
        McpTool tool, IReadOnlyDictionary<string, JsonElement> arguments, string connection, ClaimsPrincipal user, CancellationToken ct)
    {
        using var scope = AzureCallTally.Start();
        try
        {
            var answer = await tool.Invoke(new McpToolCall(arguments, connection, user, caller, ct));
            var (result, outcome) = McpToolResults.From(answer, json.Value.SerializerOptions);
            return (result, outcome, scope.Tally);
        }
        catch (McpArgumentException e)
        {
            var (result, outcome) = InvalidArgument(e.Argument, e.Message);
            return (result, outcome, scope.Tally);
        }
    }

    private static (CallToolResult, McpToolResults.Outcome) InvalidArgument(string argument, string detail)
        => McpToolResults.Error(StatusCodes.Status400BadRequest, "invalid_argument", detail + " The tool's inputSchema says what it takes.",
            new Dictionary<string, object?> { ["argument"] = argument });

    private async Task RecordAsync(ClaimsPrincipal user, string tool, string? connection, IReadOnlyDictionary<string, JsonElement> arguments,
        McpToolResults.Outcome outcome, AzureCallTally? tally, long started, string? approvalId, CancellationToken ct)
    {
        var call = new McpCallEntity
        {
            Id = log.NewId(),
            EnvironmentId = user.EnvironmentId(),
            KeyId = user.FindFirstValue(ApiKeyAuthenticationHandler.KeyIdClaim) ?? "unknown",
            ConnectionId = connection is { Length: <= 128 } ? connection : connection?[..128],
            Organization = arguments.TryGetValue(McpToolInput.OrganizationArgument, out var org) && org.ValueKind == JsonValueKind.String ? Cut(org.GetString()!) : null,
            Tool = Cut(tool),
            Arguments = McpCallLog.Redact(arguments),
            Outcome = outcome.Code,
            IsError = outcome.IsError,
            AzureStatus = tally?.LastStatus,
            AzureCalls = tally?.Calls ?? 0,
            DurationMs = (int)Math.Min(int.MaxValue, Stopwatch.GetElapsedTime(started).TotalMilliseconds),
            CreatedAt = clock.GetUtcNow(),
            ApprovalId = approvalId,
        };
        await writer.EnqueueAsync(call, ct);
    }

    private HttpContext Http => http.HttpContext ?? throw new InvalidOperationException("MCP handlers run on an HTTP request.");

    private McpToolFilter Filter() => McpToolFilter.FromHeaders(Http.Request.Headers, registry).Filter ?? McpToolFilter.All;

    /// <summary>The connection to act as: the `connection` argument, else X-AdoBridge-Connection, else Mcp-Param-Connection.</summary>
    private string? Connection(IReadOnlyDictionary<string, JsonElement> arguments)
    {
        if (arguments.TryGetValue(McpToolInput.ConnectionArgument, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } argument)
        {
            return argument.Trim();
        }

        var headers = Http.Request.Headers;
        var header = headers[ConnectionHeader].ToString();
        if (header.Length == 0)
        {
            header = McpHeaderEncoder.DecodeValue(headers[ConnectionParamHeader].ToString()) ?? string.Empty;
        }

        return header.Trim() is { Length: > 0 } trimmed ? trimmed : null;
    }

    private static string Cut(string value) => value.Length <= 128 ? value : value[..128];
}
