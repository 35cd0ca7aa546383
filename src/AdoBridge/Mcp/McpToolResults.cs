using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using ModelContextProtocol.Protocol;

namespace AdoBridge.Mcp;

/// <summary>An action's answer as a tool result: the value as structuredContent and fenced JSON text, or a problem as a tool error.</summary>
internal static class McpToolResults
{
    /// <summary>What the audit keeps of a result.</summary>
    internal sealed record Outcome(string Code, bool IsError);

    /// <summary>The wait a throttled call suggests when Azure DevOps gave no Retry-After.</summary>
    private const int DefaultRetrySeconds = 30;

    public static (CallToolResult Result, Outcome Outcome) From(IResult answer, JsonSerializerOptions json)
    {
        var result = answer is INestedHttpResult nested ? nested.Result : answer;
        if (result is ProblemHttpResult problem)
        {
            return Error(problem.ProblemDetails);
        }

        var value = result is IValueHttpResult { Value: { } v } ? JsonSerializer.SerializeToElement(v, v.GetType(), json) : JsonSerializer.SerializeToElement(new JsonObject());
        var text = JsonSerializer.Serialize(value, McpJson.Options);
        return (new CallToolResult
        {
            StructuredContent = value,
            Content = [new TextContentBlock { Text = McpFence.Wrap(text, "the tool's result as JSON, as Azure DevOps returned it") }],
        }, new Outcome("ok", false));
    }

    /// <summary>
    /// A tool error with AdoBridge's problem (code, detail, and the fix it names) and Azure DevOps' own message; Azure
    /// DevOps throttling is marked retryable with the wait. The whole problem is fenced: Azure DevOps' message is its text.
    /// </summary>
    public static (CallToolResult Result, Outcome Outcome) Error(ProblemDetails problem, string? headline = null)
    {
        var code = problem.Extensions.TryGetValue("code", out var c) && c is string s ? s : "error";
        var body = new JsonObject
        {
            ["status"] = problem.Status,
            ["code"] = code,
            ["title"] = problem.Title,
            ["detail"] = problem.Detail,
        };
        foreach (var (key, value) in problem.Extensions.Where(e => e.Key != "code" && e.Key != "traceId"))
        {
            body[key] = value is null ? null : JsonSerializer.SerializeToNode(value, value.GetType(), McpJson.Options);
        }

        // Azure DevOps throttling: a 429, or a 503 that says when to come back (AdoBridge answers it as a 502 with azureStatus 503).
        var retryAfter = problem.Extensions.TryGetValue("retryAfterSeconds", out var r) && r is int seconds ? seconds : (int?)null;
        var throttled = problem.Status == StatusCodes.Status429TooManyRequests || retryAfter is not null;
        if (throttled)
        {
            body["retryAfterSeconds"] = retryAfter ?? DefaultRetrySeconds;
        }

        body["retryable"] ??= throttled || problem.Status is StatusCodes.Status503ServiceUnavailable or StatusCodes.Status504GatewayTimeout or StatusCodes.Status502BadGateway;
        headline ??= throttled
            ? string.Create(CultureInfo.InvariantCulture, $"Azure DevOps is throttling this connection: retry this call in {retryAfter ?? DefaultRetrySeconds} seconds (code {code}).")
            : $"The tool failed: {problem.Title} (code {code}). The detail says what was wrong and how to fix it.";
        return (new CallToolResult
        {
            IsError = true,
            Content = [new TextContentBlock { Text = headline + "\n" + McpFence.Wrap(body.ToJsonString(McpJson.Options), "the error as JSON; its detail and azureMessage quote Azure DevOps") }],
        }, new Outcome(code, true));
    }

    /// <summary>A tool error AdoBridge raises itself (a missing connection, a wrong argument, a policy's refusal, a pending approval).</summary>
    public static (CallToolResult Result, Outcome Outcome) Error(int status, string code, string detail, IDictionary<string, object?>? extensions = null, string? headline = null)
    {
        var title = status switch
        {
            StatusCodes.Status404NotFound => "Not found",
            StatusCodes.Status403Forbidden => "Not allowed",
            StatusCodes.Status409Conflict => "Conflict",
            StatusCodes.Status202Accepted => "Approval pending",
            _ => "Invalid request",
        };
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        problem.Extensions["code"] = code;
        foreach (var (key, value) in extensions ?? new Dictionary<string, object?>())
        {
            problem.Extensions[key] = value;
        }

        return Error(problem, headline);
    }
}
