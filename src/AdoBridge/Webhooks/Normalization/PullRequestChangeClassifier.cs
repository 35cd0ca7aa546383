namespace AdoBridge.Webhooks.Normalization;

/// <summary>Says what a git.pullrequest.updated notification is about: one of <see cref="PullRequestChanges"/>.</summary>
/// <remarks>
/// The subscription can filter on notificationType (PushNotification, ReviewersUpdateNotification,
/// StatusUpdateNotification, ReviewerVoteNotification), but the body does not carry it, so it is recovered from the
/// message and detailedMessage, which Azure DevOps (and the emulator) word per kind:
/// <list type="bullet">
/// <item>source_pushed: "… updated the source branch of pull request …", "… pushed …".</item>
/// <item>reviewers_changed: "… updated the reviewer list of …", "… added X as a reviewer …", "… removed X from the reviewers …".</item>
/// <item>vote: "… approved …", "… approved with suggestions …", "… rejected …", "… is waiting for the author on …",
/// "… reset their vote on …", "… voted …".</item>
/// <item>status_changed: "… completed …", "… marked the pull request as completed …", "… abandoned …", "… reactivated …",
/// "… published …" / "… draft …".</item>
/// </list>
/// The pull request's title and repository name are removed from the text first, so a title such as "Fix completed
/// orders" does not read as a status change. The kinds are tried in the order above (a message names one action).
/// With no message at all (messagesToSend and detailedMessagesToSend = none) only the fields remain: a pull request that
/// is no longer active has had its status changed; anything else is "updated".
/// </remarks>
internal static class PullRequestChangeClassifier
{
    private static readonly string[] SourcePushedPhrases = ["updated the source branch", " pushed "];
    private static readonly string[] ReviewerPhrases = ["reviewer list", "as a reviewer", "as reviewers", "as a required reviewer", "from the reviewers", "from reviewers", "removed reviewer", "added reviewer"];
    private static readonly string[] VotePhrases = [" approved ", " rejected ", "waiting for the author", "waiting for author", "reset their vote", "reset the vote", " voted "];
    private static readonly string[] StatusPhrases = [" completed ", "marked the pull request as", " abandoned ", " reactivated ", " published ", " draft"];

    public static string Classify(in HookInput input, string? title, string? repositoryName)
    {
        // Padded with spaces and with newlines and punctuation flattened, so " approved " also matches at either end.
        var text = " " + Flatten(input.AllMessageText(), title, repositoryName) + " ";
        if (text.Trim().Length > 0)
        {
            if (ContainsAny(text, SourcePushedPhrases))
            {
                return PullRequestChanges.SourcePushed;
            }

            if (ContainsAny(text, ReviewerPhrases))
            {
                return PullRequestChanges.ReviewersChanged;
            }

            if (ContainsAny(text, VotePhrases))
            {
                return PullRequestChanges.Vote;
            }

            if (ContainsAny(text, StatusPhrases))
            {
                return PullRequestChanges.StatusChanged;
            }
        }

        var status = HookJson.Str(input.Resource, "status");
        return status is not null && !HookJson.EqualsIgnoreCase(status, "active") ? PullRequestChanges.StatusChanged : PullRequestChanges.Updated;
    }

    private static string Flatten(string text, string? title, string? repositoryName)
    {
        text = Remove(text, title);
        text = Remove(text, repositoryName);

        return string.Create(text.Length, text, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                span[i] = char.IsLetterOrDigit(c) || c == '-' ? c : ' ';
            }
        });
    }

    // "(title)" is how the messages quote a title; a bare title is removed too unless it is so short that removing it
    // could cut words such as "approved" apart.
    private static string Remove(string text, string? name)
    {
        if (name is not { Length: > 0 })
        {
            return text;
        }

        text = text.Replace("(" + name + ")", " ", StringComparison.OrdinalIgnoreCase);
        return name.Length >= 6 ? text.Replace(name, " ", StringComparison.OrdinalIgnoreCase) : text;
    }

    private static bool ContainsAny(string text, string[] phrases)
    {
        foreach (var phrase in phrases)
        {
            if (text.Contains(phrase, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
