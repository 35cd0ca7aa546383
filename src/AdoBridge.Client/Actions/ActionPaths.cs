namespace AdoBridge.Client;

/// <summary>The action routes of one connection, with every name escaped as one path segment.</summary>
internal sealed class ActionPaths(string connectionId)
{
    public string Connection { get; } = $"v1/connections/{ApiPath.Segment(connectionId)}";

    public string Organization(string organization) => $"{Connection}/organizations/{ApiPath.Segment(organization)}";

    public string Project(ProjectRef project)
    {
        ArgumentNullException.ThrowIfNull(project);
        return $"{Organization(project.Organization)}/projects/{ApiPath.Segment(project.Project)}";
    }

    public string Repository(RepositoryRef repository)
    {
        ArgumentNullException.ThrowIfNull(repository);
        return $"{Project(repository.ProjectRef)}/repositories/{ApiPath.Segment(repository.Repository)}";
    }

    public string PullRequest(RepositoryRef repository, int pullRequestId) => $"{Repository(repository)}/pull-requests/{pullRequestId}";
}
