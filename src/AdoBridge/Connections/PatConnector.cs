using AdoBridge.AzureDevOps;

namespace AdoBridge.Connections;

/// <summary>Why a credential was refused, in words for the person who typed it, with a stable code.</summary>
internal sealed class ConnectRefusedException(string code, string message, string? fix = null) : Exception(message)
{
    public string Code { get; } = code;
    public string? Fix { get; } = fix;
}

/// <summary>Checks a PAT against its organisation (or Server collection) before anything is saved.</summary>
internal sealed class PatConnector(DevOpsClient devops)
{
    /// <summary>Longer than any token Azure DevOps issues (52 or 84 characters), with room to spare.</summary>
    public const int MaxPatLength = 256;

    public const string RequiredScopesText = "Project and Team (Read), plus what your integration needs, e.g. Code (Read & write), Work Items (Read & write)";

    /// <summary>
    /// What makes <paramref name="pat"/> impossible as a token, or null. Checked before anything is sent: a value Azure
    /// DevOps could never have issued must not reach a request header.
    /// </summary>
    public static ConnectRefusedException? Check(string pat)
    {
        if (pat.Length > MaxPatLength)
        {
            return new ConnectRefusedException("invalid_pat", $"The personal access token is {pat.Length:N0} characters long; Azure DevOps tokens are 52 or 84 characters.",
                "Copy only the token from Azure DevOps (User settings → Personal access tokens) and paste it again.");
        }

        if (string.IsNullOrWhiteSpace(pat) || pat.Any(char.IsWhiteSpace))
        {
            return new ConnectRefusedException("invalid_pat", "The personal access token is empty or contains spaces or line breaks.", "Paste the token exactly as Azure DevOps showed it.");
        }

        return pat.Any(char.IsControl)
            ? new ConnectRefusedException("invalid_pat", "The personal access token contains a control character (such as a NUL byte), which no Azure DevOps token has.", "Paste the token exactly as Azure DevOps showed it.")
            : null;
    }

    /// <summary>Returns who the PAT belongs to, or throws <see cref="ConnectRefusedException"/> saying what is wrong.</summary>
    public async Task<DevOpsProfile> VerifyAsync(OrganizationTarget target, string pat, CancellationToken ct)
    {
        if (Check(pat) is { } problem)
        {
            throw problem;
        }

        var credential = DevOpsCredential.Pat(pat);
        var where = target.Organization is null ? target.ServerUrl! : $"organisation '{target.Organization}'";
        (string Id, string Name) user;
        try
        {
            user = await devops.GetConnectionDataAsync(target.BaseUrl, credential, ct);
        }
        catch (DevOpsException e) when (e.Kind == DevOpsFailure.Unauthorized && e.Message.Contains("TF400813", StringComparison.Ordinal)
            && !e.Message.Contains("anonymous", StringComparison.OrdinalIgnoreCase))
        {
            throw new ConnectRefusedException("pat_wrong_organization", $"This token does not give access to {where}.",
                "A PAT belongs to one organisation (or all of yours): create it while signed in to this organisation, or choose 'All accessible organizations'.");
        }
        catch (DevOpsException e) when (e.Kind == DevOpsFailure.Unauthorized)
        {
            throw new ConnectRefusedException("pat_rejected", $"Azure DevOps did not accept this token for {where}: it may be mistyped, expired or revoked.",
                "Copy the token again, or create a new one under User settings → Personal access tokens.");
        }
        catch (DevOpsException e) when (e.Kind == DevOpsFailure.NotFound)
        {
            throw new ConnectRefusedException("organization_not_found", $"Azure DevOps has no {where}.", "Check the spelling: it is the name in https://dev.azure.com/{organisation}.");
        }
        catch (DevOpsException e) when (e.Kind == DevOpsFailure.Unavailable)
        {
            throw new ConnectRefusedException("azure_devops_unavailable", $"Azure DevOps could not be reached to check the token ({e.Message}).", "Try again in a minute.");
        }

        try
        {
            await devops.CheckProjectsAsync(target.BaseUrl, credential, ct);
        }
        catch (DevOpsException e) when (e.Kind is DevOpsFailure.Unauthorized or DevOpsFailure.Forbidden)
        {
            throw new ConnectRefusedException("pat_missing_scope", $"The token works but lacks a scope AdoBridge needs. Azure DevOps says: {e.Message}",
                $"Edit the token (or create a new one) with at least: {RequiredScopesText}.");
        }

        return new DevOpsProfile(user.Id, user.Name, null);
    }
}
