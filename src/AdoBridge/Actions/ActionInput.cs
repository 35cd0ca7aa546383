using System.Globalization;
using System.Text.Json;
using AdoBridge.Problems;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AdoBridge.Actions;

/// <summary>Input checks shared by the typed actions; every refusal is a 400 naming the field.</summary>
internal static class ActionInput
{
    public static ProblemHttpResult Invalid(string field, string detail)
        => Problem.BadRequest("invalid_field", $"`{field}`: {detail}", new Dictionary<string, object?> { ["field"] = field });

    /// <summary>
    /// A name used as one URL path segment (project, repository, work item type). "." and ".." are refused because the
    /// URI would collapse them and lead outside the organisation; everything else is escaped by <see cref="Path"/>.
    /// </summary>
    public static ProblemHttpResult? Segment(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > 256)
        {
            return Invalid(field, "is required and at most 256 characters.");
        }

        return value is "." or ".." || value.Any(char.IsControl) ? Invalid(field, "is not a valid name.") : null;
    }

    public static ProblemHttpResult? Segments(params (string? Value, string Field)[] values)
        => values.Select(v => Segment(v.Value, v.Field)).FirstOrDefault(p => p is not null);

    /// <summary>Escaped path segments joined with '/', then the literal rest (which holds no user text).</summary>
    public static string Path(string rest, params string[] segments)
        => string.Join('/', segments.Select(Uri.EscapeDataString).Append(rest));

    public static ProblemHttpResult? Range(int? value, string field, int min, int max)
        => value is { } v && (v < min || v > max) ? Invalid(field, $"must be between {min} and {max}.") : null;

    /// <summary>An absolute http(s) URL, or a refusal naming the field ("/x" is a file URI on Unix, so Uri.TryCreate alone would take it).</summary>
    public static ProblemHttpResult? HttpUrl(string? value, string field)
        => value is null || (Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
            ? null
            : Invalid(field, "must be an absolute http(s) URL.");

    /// <summary>Builds a query string from the pairs that have a value.</summary>
    public static string Query(params (string Name, object? Value)[] pairs)
        => string.Join('&', pairs.Where(p => p.Value is not null && p.Value is not "")
            .Select(p => $"{p.Name}={Uri.EscapeDataString(Convert.ToString(p.Value, CultureInfo.InvariantCulture)!)}"));

    public static string? Text(JsonElement json, string name)
        => json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>"main" becomes "refs/heads/main"; a full ref name stays as it is.</summary>
    public static string BranchRef(string name) => name.StartsWith("refs/", StringComparison.Ordinal) ? name : "refs/heads/" + name;
}

/// <summary>A page of Azure DevOps objects, with the token to pass back as `continuationToken` for the next page.</summary>
internal sealed record ActionPage(JsonElement Items, string? ContinuationToken);
