namespace AdoBridge.Emulator;

/// <summary>Which emulated service answers a location: the organisation (dev.azure.com/{org}), its identity service
/// (vssps.dev.azure.com/{org}) or the global profile and accounts service (app.vssps.visualstudio.com).</summary>
internal enum LocationHost
{
    Organization,
    Vssps,
    App,
}

/// <summary>An ApiResourceLocation as OPTIONS {org}/_apis/{area} returns it; ids are the fixed ones Microsoft's clients use.</summary>
internal sealed record ResourceLocation(string Id, string Area, string ResourceName, string RouteTemplate, int ResourceVersion, string ReleasedVersion = "7.1", string MinVersion = "1.0", string MaxVersion = "7.2", LocationHost Host = LocationHost.Organization);

/// <summary>A resource area and the host that serves it (relative to the emulator base, "{org}" replaced per organisation).</summary>
internal sealed record ResourceArea(string Id, string Name, string Host);

/// <summary>Every resource the emulator serves, with the location ids of azure-devops-node-api v17 (api/*.ts).</summary>
internal static class ResourceLocations
{
    private const string Repo = "{project}/_apis/{area}/repositories/{repositoryId}";
    private const string Pr = Repo + "/pullRequests/{pullRequestId}";

    public static readonly ResourceLocation[] All =
    [
        new("e81700f7-3be2-46de-8624-2eb35882fcaa", "Location", "ResourceAreas", "_apis/{resource}/{areaId}", 1, "0.0"),
        new("00d9565f-ed9c-4a06-9a50-00e7896ccab4", "Location", "ConnectionData", "_apis/{resource}", 1, "0.0"),
        new("603fe2ac-9723-48b9-88ad-09305aa6c6e1", "core", "projects", "_apis/{resource}/{*projectId}", 4),

        new("225f7195-f9c7-4d14-ab28-a83f7ff77e1f", "git", "repositories", "{project}/_apis/{area}/{resource}/{repositoryId}", 2),
        new("2d874a60-a811-4f62-9c9f-963a6ea0a55b", "git", "refs", Repo + "/{resource}", 2),
        new("c2570c3b-5b3f-41b8-98bf-5407bfde8d58", "git", "commits", Repo + "/{resource}/{commitId}", 2),
        new("428dd4fb-fda5-4722-af02-9313b80305da", "git", "statuses", Repo + "/commits/{commitId}/{resource}", 2),
        new("fb93c0db-47ed-4a31-8c20-47552878fb44", "git", "items", Repo + "/{resource}", 1),
        new("ea98d07b-3c87-4971-8ede-a613694ffb55", "git", "pushes", Repo + "/{resource}/{pushId}", 3),
        new("9946fd70-0d40-406e-b686-b4744cbbcc37", "git", "pullRequests", Repo + "/{resource}/{pullRequestId}", 2),
        new("a5d28130-9cd2-40fa-9f08-902e7daa9efb", "git", "pullRequests", "{project}/_apis/{area}/{resource}", 2),
        new("01a46dea-7d46-4d40-bc84-319e7c260d99", "git", "pullRequests", "{project}/_apis/{area}/{resource}/{pullRequestId}", 2),
        new("4b6702c7-aa35-4b89-9c96-b9abf6d3e540", "git", "pullRequestReviewers", Pr + "/reviewers/{reviewerId}", 1),
        new("ab6e2e5d-a0b7-4153-b64a-a4efe0d49449", "git", "pullRequestThreads", Pr + "/threads/{threadId}", 1),
        new("965a3ec7-5ed8-455a-bdcb-835a5ea7fe7b", "git", "pullRequestThreadComments", Pr + "/threads/{threadId}/comments/{commentId}", 1),
        new("b5f6bb4f-8d1e-4d79-8d11-4c9172c99c35", "git", "pullRequestStatuses", Pr + "/statuses/{statusId}", 2),
        new("d43911ee-6958-46b0-a42b-8445b8a0d004", "git", "pullRequestIterations", Pr + "/iterations/{iterationId}", 2),
        new("4216bdcf-b6b1-4d59-8b82-c34cc183fc8b", "git", "pullRequestIterationChanges", Pr + "/iterations/{iterationId}/changes", 1),
        new("e7ea0883-095f-4926-b5fb-f24691c26fb9", "git", "pullRequestIterationCommits", Pr + "/iterations/{iterationId}/commits", 1),
        new("52823034-34a8-4576-922c-8d8b77e9e4c4", "git", "pullRequestCommits", Pr + "/commits", 1),
        new("0a637fcc-5370-4ce8-b0e8-98091f5f9482", "git", "pullRequestWorkItems", Pr + "/workitems", 1),
        new("5bf884f5-3e07-42e9-afb8-1b872267bf16", "git", "changes", Repo + "/commits/{commitId}/{resource}", 1),

        new("72c7ddf8-2cdc-4f60-90cd-ab71c14a399b", "wit", "workItems", "{project}/_apis/{area}/{resource}/{id}", 3),
        new("62d3d110-0047-428c-ad3c-4fe872c91c74", "wit", "workItems", "{project}/_apis/{area}/{resource}/${type}", 3),
        new("908509b6-4248-4475-a1cd-829139ba419f", "wit", "workItemsBatch", "{project}/_apis/{area}/{resource}", 1),
        new("1a9c53f7-f243-4447-b110-35ef023636e4", "wit", "wiql", "{project}/{team}/_apis/{area}/{resource}/{id}", 2),
        new("608aac0a-32e1-4493-a863-b9cf4566d257", "wit", "comments", "{project}/_apis/{area}/workItems/{workItemId}/{resource}/{commentId}", 4, "0.0"),
        new("b70d8d39-926c-465e-b927-b1bf0e5ca0e0", "wit", "recyclebin", "{project}/_apis/{area}/{resource}/{id}", 2),
        new("6570bf97-d02c-4a91-8d93-3abe9895b1a9", "wit", "updates", "{project}/_apis/{area}/workItems/{id}/{resource}/{updateNumber}", 3),
        new("a00c85a5-80fa-4565-99c3-bcd2181434bb", "wit", "revisions", "{project}/_apis/{area}/workItems/{id}/{resource}/{revisionNumber}", 3),
        new("7c8d7a76-4a09-43e8-b5df-bd792f4ac6aa", "wit", "workItemTypes", "{project}/_apis/{area}/{resource}/{type}", 2),
        new("7c9d7a76-4a09-43e8-b5df-bd792f4ac6aa", "wit", "workItemTypeStates", "{project}/_apis/{area}/workitemtypes/{type}/states", 1),
        new("b51fd764-e5c2-4b9b-aaf7-3395cf4bdd94", "wit", "fields", "{project}/_apis/{area}/{resource}/{fieldNameOrRefName}", 2),
        new("a70579d1-f53a-48ee-a5be-7be8659023b9", "wit", "classificationNodes", "{project}/_apis/{area}/{resource}", 2),
        new("5a172953-1b41-49d3-840a-33f79c3ce89f", "wit", "classificationNodes", "{project}/_apis/{area}/{resource}/{structureGroup}/{*path}", 2),

        new("d30a3dd1-f8ba-442a-b86a-bd0c0c383e59", "core", "teams", "_apis/projects/{projectId}/{resource}/{*teamId}", 3),
        new("7a4d9ee9-3433-4347-b47a-7a80f1cf307e", "core", "teams", "_apis/{resource}", 3),
        new("294c494c-2600-4d7e-b76c-3dd50c3c95be", "core", "members", "_apis/projects/{projectId}/teams/{teamId}/{resource}", 2),

        new("c23ddff5-229c-4d04-a80b-0fdce9f360c8", "policy", "evaluations", "{project}/_apis/{area}/{resource}", 1),
        new("dad91cbe-d183-45f8-9c6e-9c1164472121", "policy", "configurations", "{project}/_apis/{area}/{resource}/{configurationId}", 1),
        new("44096322-2d3d-466a-bb30-d1b7de69f61f", "policy", "types", "{project}/_apis/{area}/{resource}/{typeId}", 1),

        new("dbeaf647-6167-421a-bda9-c9327b25e2e6", "build", "definitions", "{project}/_apis/{area}/{resource}/{definitionId}", 7),
        new("0cd358e1-9217-4d94-8269-1c1ee6f93dcf", "build", "builds", "{project}/_apis/{area}/{resource}/{buildId}", 7),
        new("35a80daf-7f30-45fc-86e8-6b813d9c90df", "build", "logs", "{project}/_apis/{area}/builds/{buildId}/{resource}/{logId}", 2),

        new("28e1305e-2afe-47bf-abaf-cbb0e6a91988", "pipelines", "pipelines", "{project}/_apis/{resource}/{pipelineId}", 1),
        new("7859261e-d2e9-4a68-b820-a5d84cc5bb3d", "pipelines", "runs", "{project}/_apis/pipelines/{pipelineId}/{resource}/{runId}", 1),

        // From the .NET client (Microsoft.VisualStudio.Services.ServiceHooks.WebApi); the Node client has no hooks API.
        new("fc50d02a-849f-41fb-8af1-0a5216103269", "hooks", "subscriptions", "_apis/{area}/{resource}/{subscriptionId}", 1),
        new("4301c514-5f34-4f5d-a145-f0ea7b5b7d19", "hooks", "consumers", "_apis/{area}/{resource}/{consumerId}", 1),

        // Every service has a location service of its own.
        new("e81700f7-3be2-46de-8624-2eb35882fcaa", "Location", "ResourceAreas", "_apis/{resource}/{areaId}", 1, "0.0", Host: LocationHost.Vssps),
        new("00d9565f-ed9c-4a06-9a50-00e7896ccab4", "Location", "ConnectionData", "_apis/{resource}", 1, "0.0", Host: LocationHost.Vssps),
        new("00d9565f-ed9c-4a06-9a50-00e7896ccab4", "Location", "ConnectionData", "_apis/{resource}", 1, "0.0", Host: LocationHost.App),

        // Identities (IMS) on vssps.dev.azure.com/{org}; profiles and accounts on app.vssps.visualstudio.com (the .NET
        // client's IdentityHttpClient, ProfileHttpClient and AccountHttpClient; the Node client's ProfileApi).
        new("28010c54-d0c0-4c89-a5b0-1c9e188b9fb7", "IMS", "Identities", "_apis/{resource}/{identityId}", 2, Host: LocationHost.Vssps),
        new("f83735dc-483f-4238-a291-d45f6080a9af", "Profile", "Profiles", "_apis/{area}/{resource}/{id}", 3, Host: LocationHost.App),
        new("229a6a53-b428-4ffb-a835-e8f36b5b4b1e", "Account", "Accounts", "_apis/{resource}", 1, Host: LocationHost.App),
    ];

    /// <summary>The locations one emulated service answers for.</summary>
    public static IEnumerable<ResourceLocation> On(LocationHost host) => All.Where(l => l.Host == host);

    /// <summary>Areas whose calls the official clients route by resourceAreas (the Node client sends Pipelines calls to the wit area's URL).</summary>
    public static readonly ResourceArea[] Areas =
    [
        new("79134c72-4a58-4b42-976c-04e7115f32bf", "core", EmulatorDefaults.DevOpsHost + "/{org}"),
        new("4e080c62-fa21-4fbc-8fef-2a10a2b38049", "git", EmulatorDefaults.DevOpsHost + "/{org}"),
        new("5264459e-e5e0-4bd8-b118-0985e68a4ec5", "wit", EmulatorDefaults.DevOpsHost + "/{org}"),
        new("965220d5-5bb9-42cf-8d67-9b146df2a5a4", "build", EmulatorDefaults.DevOpsHost + "/{org}"),
        new("fb13a388-40dd-4a04-b530-013a739c72ef", "policy", EmulatorDefaults.DevOpsHost + "/{org}"),
        new("8ccfef3d-2b87-4e99-8ccb-66e343d2daa8", "Profile", EmulatorDefaults.VsspsAppHost),
    ];
}
