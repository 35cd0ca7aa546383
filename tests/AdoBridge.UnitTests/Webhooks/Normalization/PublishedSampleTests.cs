using AdoBridge.Webhooks.Normalization;

namespace AdoBridge.UnitTests.Webhooks.Normalization;

/// <summary>Every published sample (docs/service-hooks/events.md in MicrosoftDocs/azure-devops-docs, the 2016, 2023 and
/// 2024-09 editions) normalises to its AdoBridge type with its organisation, project and repository.</summary>
public sealed class PublishedSampleTests
{
    // Sample quirks kept on purpose: zero or over-long GUIDs in the 2024 edition, dev.azure.com and visualstudio.com hosts,
    // publisherId "azure-devops" or "tfs", resourceContainers without baseUrl (so the organisation comes from resource URLs).
    public static TheoryData<string, string, string?, string?, string?, string?> Expected => new()
    {
        { "git.pullrequest.created.json", NormalizedEventTypes.PullRequestCreated, "fabrikam", "f5f5f5f5-aaaa-bbbb-cccc-d6d6d6d6d6d6", "Fabrikam", "b1b1b1b1-cccc-dddd-eeee-f2f2f2f2f2f2" },
        { "git.pullrequest.updated.json", NormalizedEventTypes.PullRequestUpdated, "fabrikam", "00000000-0000-0000-0000-000000000000", "Fabrikam", "00000000-0000-0000-0000-000000000000" },
        { "git.pullrequest.merged.json", NormalizedEventTypes.PullRequestMerged, "fabrikam", "00aa00aa-bb11-cc22-dd33-44ee44ee44ee", "Fabrikam", "c2c2c2c2-dddd-eeee-ffff-a3a3a3a3a3a3" },
        { "git.pullrequest.merged.v1.json", NormalizedEventTypes.PullRequestMerged, "fabrikam", "6ce954b1-ce1f-45d1-b94d-e6bf2464ba2c", "Fabrikam", "4bc14d40-c903-45e2-872e-0462c7748079" },
        { "ms.vss-code.git-pullrequest-comment-event.json", NormalizedEventTypes.PullRequestCommented, "fabrikam", "00000000-0000-0000-0000-000000000000abcd-1234-efgh-5678", "Fabrikam", "00000000-0000-0000-0000-00000000000000000000-0000-0000-0000-000000000000" },
        { "git.push.json", NormalizedEventTypes.GitPush, "fabrikam-fiber-inc", "a6a6a6a6-bbbb-cccc-dddd-e7e7e7e7e7e7", "Fabrikam-Fiber-Git", "f5f5f5f5-aaaa-bbbb-cccc-d6d6d6d6d6d6" },
        { "tfvc.checkin.json", NormalizedEventTypes.TfvcCheckin, "fabrikam-fiber-inc", null, null, null },
        { "git.repo.created.json", NormalizedEventTypes.RepositoryCreated, "fabrikam-fiber-inc", "00aa00aa-bb11-cc22-dd33-44ee44ee44ee", "Fabrikam-Fiber-Git", "c2c2c2c2-dddd-eeee-ffff-a3a3a3a3a3a3" },
        { "git.repo.deleted.json", NormalizedEventTypes.RepositoryDeleted, "fabrikam-fiber-inc", "00aa00aa-bb11-cc22-dd33-44ee44ee44ee", "Contoso", "c2c2c2c2-dddd-eeee-ffff-a3a3a3a3a3a3" },
        { "git.repo.forked.json", NormalizedEventTypes.RepositoryForked, "fabrikam-fiber-inc", "22cc22cc-dd33-ee44-ff55-66aa66aa66aa", "Fabrikam-Fiber-Git", "c2c2c2c2-dddd-eeee-ffff-a3a3a3a3a3a3" },
        { "git.repo.renamed.json", NormalizedEventTypes.RepositoryRenamed, "fabrikam-fiber-inc", "11bb11bb-cc22-dd33-ee44-55ff55ff55ff", "Contoso", "c2c2c2c2-dddd-eeee-ffff-a3a3a3a3a3a3" },
        { "git.repo.statuschanged.json", NormalizedEventTypes.RepositoryStatusChanged, "fabrikam-fiber-inc", "11bb11bb-cc22-dd33-ee44-55ff55ff55ff", "Fabrikam-Fiber-Git", "c2c2c2c2-dddd-eeee-ffff-a3a3a3a3a3a3" },
        { "workitem.created.json", NormalizedEventTypes.WorkItemCreated, "fabrikam-fiber-inc", "00aa00aa-bb11-cc22-dd33-44ee44ee44ee", "FabrikamCloud", null },
        { "workitem.updated.json", NormalizedEventTypes.WorkItemUpdated, "fabrikam-fiber-inc", "00000000-0000-0000-0000-000000000000", "FabrikamCloud", null },
        { "workitem.updated.v1.json", NormalizedEventTypes.WorkItemUpdated, "fabrikam-fiber-inc", "be9b3917-87e6-42a4-a549-2bc06a7a878f", "FabrikamCloud", null },
        { "workitem.deleted.json", NormalizedEventTypes.WorkItemDeleted, "fabrikam-fiber-inc", "00000000-0000-0000-0000-000000000000", "FabrikamCloud", null },
        { "workitem.restored.json", NormalizedEventTypes.WorkItemRestored, "fabrikam-fiber-inc", "00000000-0000-0000-0000-000000000000", "FabrikamCloud", null },
        { "workitem.commented.json", NormalizedEventTypes.WorkItemCommented, "fabrikam-fiber-inc", "00000000-0000-0000-0000-000000000000", "FabrikamCloud", null },
        { "build.complete.json", NormalizedEventTypes.BuildCompleted, "FabrikamFiber", "00000000-0000-0000-0000-000000000000", "FabrikamFiberChat", "00000000-0000-0000-0000-000000000000" },
        { "build.complete.short.json", NormalizedEventTypes.BuildCompleted, "FabrikamFiber", "54d02617-2ebd-42b0-b1e2-257059c4c03d", "FabrikamFiber", null },
        { "build.complete.v1.json", NormalizedEventTypes.BuildCompleted, "fabrikam-fiber-inc", "be9b3917-87e6-42a4-a549-2bc06a7a878f", null, null },
    };

    [Theory]
    [MemberData(nameof(Expected))]
    public void PublishedSample_NormalizesToItsType_WithOrganizationProjectAndRepository(string sample, string type, string? organization, string? projectId, string? projectName, string? repositoryId)
    {
        var e = HookSamples.NormalizeSample(sample);

        e.Type.ShouldBe(type);
        e.SourceEventType.ShouldBe(HookSamples.Node(sample)["eventType"]!.GetValue<string>());
        e.SourceEventId.ShouldBe(HookSamples.Node(sample)["id"]!.GetValue<string>());
        e.Organization.ShouldBe(organization);
        e.ProjectId.ShouldBe(projectId);
        e.ProjectName.ShouldBe(projectName);
        e.RepositoryId.ShouldBe(repositoryId);
        e.Data.Str("organization").ShouldBe(organization);
        e.Data.Str("project.id").ShouldBe(projectId);
    }

    [Fact]
    public void EverySampleFile_HasAnExpectation()
    {
        var covered = Expected.Select(row => (string)row[0]).ToHashSet(StringComparer.Ordinal);
        HookSamples.Names.Where(n => !covered.Contains(n)).ShouldBeEmpty();
    }

    [Fact]
    public void EveryEventTypeOfTheReference_HasAPublishedSample_AndARoute()
    {
        string[] reference =
        [
            "git.push", "git.pullrequest.created", "git.pullrequest.updated", "git.pullrequest.merged", "ms.vss-code.git-pullrequest-comment-event",
            "git.repo.created", "git.repo.deleted", "git.repo.forked", "git.repo.renamed", "git.repo.statuschanged",
            "workitem.created", "workitem.updated", "workitem.deleted", "workitem.restored", "workitem.commented",
            "build.complete", "tfvc.checkin",
        ];

        ServiceHookNormalizer.SourceEventTypes.Order(StringComparer.Ordinal).ShouldBe(reference.Order(StringComparer.Ordinal));
        foreach (var eventType in reference)
        {
            File.Exists(Path.Combine(HookSamples.Directory, eventType + ".json")).ShouldBeTrue(eventType);
        }
    }

    [Fact]
    public void Data_OutlivesTheParsedDocument()
    {
        // Ingest disposes its JsonDocument after normalising; the event is stored and delivered later.
        var e = HookSamples.NormalizeSample("workitem.updated.v1.json");
        GC.Collect();
        e.Data.ToJsonString().ShouldContain("\"System.State\":{\"oldValue\":\"New\",\"newValue\":\"Approved\"}");
    }
}
