using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AdoBridge.Actions;

/// <summary>The structured work item search: each criterion is optional, all given ones must match.</summary>
internal sealed record WorkItemCriteria(string? Type, string? State, string? AssignedTo, string? TitleContains, string[]? Tags);

/// <summary>
/// Turns a structured search into WIQL without letting user text change the query: field names and operators come only
/// from the fixed table below, and every user value goes into a single-quoted string literal with its quotes doubled
/// (WIQL's only escape). So `x' OR [System.Id] > 0 OR 'a'='a` is searched for as text, never run as a condition.
/// </summary>
internal static class WiqlBuilder
{
    public const int MaxValueLength = 256;

    private const string MeMacro = "@me";

    public static (string? Wiql, ProblemHttpResult? Problem) Build(WorkItemCriteria criteria)
    {
        var conditions = new List<string> { "[System.TeamProject] = @project" };
        var invalid = Add(conditions, "type", "[System.WorkItemType] =", criteria.Type)
            ?? Add(conditions, "state", "[System.State] =", criteria.State)
            ?? AddAssignedTo(conditions, criteria.AssignedTo)
            ?? Add(conditions, "titleContains", "[System.Title] CONTAINS", criteria.TitleContains);
        foreach (var tag in criteria.Tags ?? [])
        {
            invalid ??= string.IsNullOrWhiteSpace(tag) ? ActionInput.Invalid("tags", "must not hold empty tags.") : Add(conditions, "tags", "[System.Tags] CONTAINS", tag);
        }

        if (invalid is not null)
        {
            return (null, invalid);
        }

        var wiql = new StringBuilder("SELECT [System.Id] FROM WorkItems WHERE ")
            .AppendJoin(" AND ", conditions)
            .Append(" ORDER BY [System.Id]");
        return (wiql.ToString(), null);
    }

    /// <summary>A WIQL string literal: the value in single quotes, each single quote doubled.</summary>
    public static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static ProblemHttpResult? AddAssignedTo(List<string> conditions, string? value)
    {
        if (value is not null && value.Trim().Equals(MeMacro, StringComparison.OrdinalIgnoreCase))
        {
            // The only macro accepted, and only as the whole value: the connection's own user.
            conditions.Add("[System.AssignedTo] = @me");
            return null;
        }

        return Add(conditions, "assignedTo", "[System.AssignedTo] =", value);
    }

    private static ProblemHttpResult? Add(List<string> conditions, string field, string fieldAndOperator, string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(value) || value.Length > MaxValueLength || value.Any(char.IsControl))
        {
            return ActionInput.Invalid(field, $"must be non-empty text of at most {MaxValueLength} characters without control characters.");
        }

        conditions.Add(fieldAndOperator + " " + Literal(value.Trim()));
        return null;
    }
}
