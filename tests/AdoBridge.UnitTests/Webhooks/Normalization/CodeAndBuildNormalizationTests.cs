using System.Text.Json.Nodes;

namespace AdoBridge.UnitTests.Webhooks.Normalization;

public sealed class CodeAndBuildNormalizationTests
{
    [Fact]
    public void Push_CarriesRefUpdatesCommitsAndPusher()
    {
        var data = HookSamples.NormalizeSample("git.push.json").Data;

        data.Str("pushId").ShouldBe("14");
        data.Str("refUpdates.0.name").ShouldBe("refs/heads/main");
        data.Str("refUpdates.0.oldObjectId").ShouldBe("d3d3d3d3-eeee-ffff-aaaa-b4b4b4b4b4b4");
        data.Str("refUpdates.0.newObjectId").ShouldBe("e4e4e4e4-ffff-aaaa-bbbb-c5c5c5c5c5c5");
        data.Str("commits.0.commitId").ShouldBe("4444eeee455ff5aaaaabb66ccccccccc7777cccc");
        data.Str("commits.0.comment").ShouldBe("Fixed bug in web.config file");
        data.Str("commits.0.author.email").ShouldBe("fabrikamfiber4@hotmail.com");
        data.Str("pushedBy.displayName").ShouldBe("Jamal Hartnett");
        data.Str("repository.name").ShouldBe("Fabrikam-Fiber-Git");
    }

    [Fact]
    public void Push_WithoutCommits_IsABranchUpdateStill()
    {
        var push = HookSamples.Node("git.push.json");
        push["resource"]!.AsObject().Remove("commits");

        HookSamples.Normalize(push).Data["commits"]!.AsArray().ShouldBeEmpty();
    }

    [Fact]
    public void Checkin_CarriesTheChangeset()
    {
        var data = HookSamples.NormalizeSample("tfvc.checkin.json").Data;

        data.Str("changeset.id").ShouldBe("18");
        data.Str("changeset.comment").ShouldBe("Dropping in new Java sample");
        data.Str("changeset.author.displayName").ShouldBe("Chuck Reinhart");
        data.ContainsKey("repository").ShouldBeFalse();
    }

    [Fact]
    public void Build_V2_CarriesTheBuild()
    {
        var data = HookSamples.NormalizeSample("build.complete.json").Data;

        data.Str("build.id").ShouldBe("2727068");
        data.Str("build.buildNumber").ShouldBe("20241202.1");
        data.Str("build.status").ShouldBe("completed");
        data.Str("build.result").ShouldBe("succeeded");
        data.Str("build.definition.id").ShouldBe("4658");
        data.Str("build.definition.name").ShouldBe("MainRepo (1)");
        data.Str("build.sourceBranch").ShouldBe("refs/heads/main");
        data.Str("build.sourceVersion").ShouldBe("00000000-0000-0000-0000-000000000000");
        data.Str("build.requestedFor.displayName").ShouldBe("Fabrikam Fiber");
        data.Str("build.url").ShouldBe("https://dev.azure.com/FabrikamFiber/00000000-0000-0000-0000-000000000000/_build/results?buildId=2727068");
        data.Str("repository.type").ShouldBe("TfsGit");
    }

    [Fact]
    public void Build_V1_ReadsTheOutcomeFromStatus_AndTheSourceFromSourceGetVersion()
    {
        var data = HookSamples.NormalizeSample("build.complete.v1.json").Data;

        data.Str("build.status").ShouldBe("completed");
        data.Str("build.result").ShouldBe("succeeded");
        data.Str("build.sourceBranch").ShouldBe("refs/heads/master");
        data.Str("build.sourceVersion").ShouldBe("600c52d2d5b655caa111abfd863e5a9bd304bb0e");
        data.Str("build.requestedFor.uniqueName").ShouldBe("fabrikamfiber16@hotmail.com");
        data.Str("build.definition.name").ShouldBe("ConsumerAddressModule");
    }

    [Fact]
    public void Build_OfAGitHubRepository_HasNoAzureReposRepositoryId()
    {
        var build = HookSamples.Node("build.complete.json");
        build["resource"]!["repository"] = new JsonObject { ["id"] = "contoso/app", ["type"] = "GitHub", ["name"] = "contoso/app" };

        var e = HookSamples.Normalize(build);

        e.RepositoryId.ShouldBeNull();
        e.Data.Str("repository.id").ShouldBe("contoso/app");
        e.Data.Str("repository.type").ShouldBe("GitHub");
    }

    [Fact]
    public void RepositoryRenamed_CarriesOldAndNewNames()
    {
        var data = HookSamples.NormalizeSample("git.repo.renamed.json").Data;

        data.Str("oldName").ShouldBe("Diber-Git");
        data.Str("newName").ShouldBe("Fabrikam-Fiber-Git");
        data.Str("initiatedBy.displayName").ShouldBe("John Johnson");
        data.Str("repository.defaultBranch").ShouldBe("refs/heads/master");
    }

    [Fact]
    public void RepositoryForked_IsTheSourceRepository_WithTheForkBeside()
    {
        var e = HookSamples.NormalizeSample("git.repo.forked.json");

        e.RepositoryName.ShouldBe("Fabrikam-Fiber-Git");
        e.Data.Str("fork.id").ShouldBe("d3d3d3d3-eeee-ffff-aaaa-b4b4b4b4b4b4");
        e.Data.Str("fork.project.name").ShouldBe("Another-Great-Project");
    }

    [Fact]
    public void RepositoryDeleted_AndStatusChanged_CarryTheirFlags()
    {
        var deleted = HookSamples.NormalizeSample("git.repo.deleted.json");
        deleted.RepositoryName.ShouldBe("Fabrikam-Fiber-Git");
        deleted.Data.Str("isHardDelete").ShouldBe("false");

        HookSamples.NormalizeSample("git.repo.statuschanged.json").Data.Str("disabled").ShouldBe("false");
    }
}
