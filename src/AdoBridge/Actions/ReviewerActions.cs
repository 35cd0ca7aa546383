using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AdoBridge.Actions;

/// <summary>Pull request reviewers (list, add, remove) and the connection's own vote.</summary>
internal static class ReviewerActions
{
    /// <summary>Azure DevOps' votes by name: ours (what people say) and its own enum names, both accepted.</summary>
    private static readonly Dictionary<string, int> NamedVotes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["approve"] = 10,
        ["approved"] = 10,
        ["approve-with-suggestions"] = 5,
        ["approvedWithSuggestions"] = 5,
        ["no-vote"] = 0,
        ["noVote"] = 0,
        ["reset"] = 0,
        ["wait"] = -5,
        ["wait-for-author"] = -5,
        ["waitingForAuthor"] = -5,
        ["reject"] = -10,
        ["rejected"] = -10,
    };

    private static readonly int[] Votes = [10, 5, 0, -5, -10];

    private const string VoteHelp = "approve (10), approve-with-suggestions (5), no-vote (0), wait (-5) or reject (-10), as a name or a number";

    internal sealed record AddReviewer(bool? IsRequired);

    internal sealed record VoteRequest([property: Required] JsonElement Vote);

    public static async Task<Results<Ok<ActionPage>, ProblemHttpResult>> ListAsync(
        string id, string org, string project, string repo, int pullRequestId, ClaimsPrincipal user, ActionCaller caller, CancellationToken ct)
    {
        var (target, problem) = await PullRequestActions.TargetAsync(id, org, project, repo, user, caller, ct);
        return target is null ? problem! : ActionsApi.Page(await caller.SendAsync(target, HttpMethod.Get, PullRequestActions.PrPath(project, repo, pullRequestId, "/reviewers"), null, null, ct));
    }

    /// <summary>Adds a reviewer (optional or required); adding one again only changes isRequired.</summary>
    public static async Task<Results<Ok<JsonElement>, ProblemHttpResult>> AddAsync(
        string id, string org, string project, string repo, int pullRequestId, string reviewerId, AddReviewer? request, ClaimsPrincipal user, ActionCaller caller, CancellationToken ct)
    {
        if (!Guid.TryParse(reviewerId, out _))
        {
            return ActionInput.Invalid("reviewerId", "must be an Azure DevOps identity id (a GUID), e.g. from GET …/reviewers or the identities API.");
        }

        var (target, problem) = await PullRequestActions.TargetAsync(id, org, project, repo, user, caller, ct);
        if (target is null)
        {
            return problem!;
        }

        // No vote in the body: Azure DevOps only lets reviewers set their own vote (see VoteAsync).
        var body = new { id = reviewerId, isRequired = request?.IsRequired ?? false };
        return ActionsApi.One(await caller.SendAsync(target, HttpMethod.Put, ReviewerPath(project, repo, pullRequestId, reviewerId), null, body, ct));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RemoveAsync(
        string id, string org, string project, string repo, int pullRequestId, string reviewerId, ClaimsPrincipal user, ActionCaller caller, CancellationToken ct)
    {
        if (!Guid.TryParse(reviewerId, out _))
        {
            return ActionInput.Invalid("reviewerId", "must be an Azure DevOps identity id (a GUID).");
        }

        var (target, problem) = await PullRequestActions.TargetAsync(id, org, project, repo, user, caller, ct);
        if (target is null)
        {
            return problem!;
        }

        var answer = await caller.SendAsync(target, HttpMethod.Delete, ReviewerPath(project, repo, pullRequestId, reviewerId), null, null, ct);
        return answer.Problem ?? (Results<NoContent, ProblemHttpResult>)TypedResults.NoContent();
    }

    /// <summary>Votes as the connection's own identity (Azure DevOps refuses votes on someone else's behalf).</summary>
    public static async Task<Results<Ok<JsonElement>, ProblemHttpResult>> VoteAsync(
        string id, string org, string project, string repo, int pullRequestId, VoteRequest? request, ClaimsPrincipal user, ActionCaller caller, CancellationToken ct)
    {
        if (request is null || Parse(request.Vote) is not { } vote)
        {
            return ActionInput.Invalid("vote", $"is required: {VoteHelp}.");
        }

        var (target, problem) = await PullRequestActions.TargetAsync(id, org, project, repo, user, caller, ct);
        if (target is null)
        {
            return problem!;
        }

        var (identity, failed) = await caller.IdentityAsync(target, ct);
        if (identity is null)
        {
            return failed!;
        }

        return ActionsApi.One(await caller.SendAsync(target, HttpMethod.Put, ReviewerPath(project, repo, pullRequestId, identity), null, new { vote }, ct));
    }

    /// <summary>A vote from a name ("approve"), a number (10) or a number as text ("-5"); null when it is none of Azure DevOps' five.</summary>
    internal static int? Parse(JsonElement value)
    {
        int number;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out number))
        {
            return Votes.Contains(number) ? number : null;
        }

        if (value.ValueKind != JsonValueKind.String || value.GetString() is not { } text)
        {
            return null;
        }

        if (NamedVotes.TryGetValue(text.Trim(), out number))
        {
            return number;
        }

        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out number) && Votes.Contains(number) ? number : null;
    }

    private static string ReviewerPath(string project, string repo, int pullRequestId, string reviewerId)
        => PullRequestActions.PrPath(project, repo, pullRequestId, "/reviewers/" + Uri.EscapeDataString(reviewerId));
}
