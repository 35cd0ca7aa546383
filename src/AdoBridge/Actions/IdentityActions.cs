using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AdoBridge.Actions;

/// <summary>Identity search (a reviewer or assignee by e-mail or name) in the organisation's identity service.</summary>
internal static class IdentityActions
{
    private static readonly Dictionary<string, string> Filters = new(StringComparer.OrdinalIgnoreCase)
    {
        ["general"] = "General",
        ["mail"] = "MailAddress",
        ["account"] = "AccountName",
        ["name"] = "DisplayName",
    };

    public static async Task<Results<Ok<ActionPage>, ProblemHttpResult>> SearchAsync(
        string id, string org, string? search, string? by, ClaimsPrincipal user, ActionCaller caller, CancellationToken ct)
    {
        var invalid = (string.IsNullOrWhiteSpace(search) || search.Length > 256 ? ActionInput.Invalid("search", "is required: an e-mail address, account or display name (at most 256 characters).") : null)
            ?? (by is not null && !Filters.ContainsKey(by) ? ActionInput.Invalid("by", "must be general, mail, account or name.") : null);
        if (invalid is not null)
        {
            return invalid;
        }

        var (target, problem) = await caller.TargetAsync(user, id, org, ct);
        if (target is null)
        {
            return problem!;
        }

        return ActionsApi.Page(await caller.SendAsync(target, HttpMethod.Get, "_apis/identities",
            ActionInput.Query(("searchFilter", Filters[by ?? "general"]), ("filterValue", search), ("queryMembership", "None")), null, ct, baseUrl: target.IdentityUrl));
    }
}
