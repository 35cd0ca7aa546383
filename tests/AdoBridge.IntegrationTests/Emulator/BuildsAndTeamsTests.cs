using System.Net;
using System.Net.Http.Headers;
using System.Text;
using AdoBridge.Emulator;

namespace AdoBridge.IntegrationTests.Emulator;

/// <summary>What CI integrations read: build definitions, queueing a build on a branch with parameters, its status on
/// the emulator clock and its logs; and the project's teams and capabilities.</summary>
public sealed class BuildsAndTeamsTests(EmulatorFixture fx) : IClassFixture<EmulatorFixture>
{
    [Fact]
    public async Task QueueABuild_OnABranchWithParameters_ThenReadItAndItsLogs()
    {
        var ado = AdoTestClient.For(fx);
        var build = $"{ado.OrgPath}/{EmulatorDefaults.Project}/_apis/build";

        var definitions = (await ado.GetAsync($"{build}/definitions")).ShouldBe(HttpStatusCode.OK);
        var named = (await ado.GetAsync($"{build}/definitions?name=*Release")).ShouldBe(HttpStatusCode.OK);
        var definition = (await ado.GetAsync($"{build}/definitions/1")).ShouldBe(HttpStatusCode.OK);
        var queued = (await ado.PostAsync($"{build}/builds", new { definition = new { id = 1 }, sourceBranch = "refs/heads/feature/login", parameters = "{\"configuration\":\"release\"}" })).ShouldBe(HttpStatusCode.OK);
        var id = queued["id"].GetInt32();
        var running = (await ado.GetAsync($"{build}/builds/{id}")).ShouldBe(HttpStatusCode.OK);
        var runningLogs = (await ado.GetAsync($"{build}/builds/{id}/logs")).ShouldBe(HttpStatusCode.OK);
        fx.State.AdvanceClock(fx.State.PipelineRunDuration + TimeSpan.FromSeconds(1));
        var done = (await ado.GetAsync($"{build}/builds/{id}")).ShouldBe(HttpStatusCode.OK);
        var logs = (await ado.GetAsync($"{build}/builds/{id}/logs")).ShouldBe(HttpStatusCode.OK);
        var list = (await ado.GetAsync($"{build}/builds?definitions=1&branchName=refs/heads/feature/login&statusFilter=completed")).ShouldBe(HttpStatusCode.OK);
        using var log = await GetTextAsync($"{build}/builds/{id}/logs/3?api-version=7.1");
        var lines = (await ado.GetAsync($"{build}/builds/{id}/logs/3?startLine=2&endLine=3")).Text;
        var badBranch = await ado.PostAsync($"{build}/builds", new { definition = new { id = 1 }, sourceBranch = "refs/heads/nope" });
        var badParameters = await ado.PostAsync($"{build}/builds", new { definition = new { id = 1 }, parameters = "configuration=release" });
        var noDefinition = await ado.PostAsync($"{build}/builds", new { definition = new { id = 99 } });

        definitions["value"].EnumerateArray().Select(d => d.GetProperty("name").GetString()).ShouldBe(["Fabrikam-Fiber-CI", "Fabrikam-Fiber-Release"]);
        definitions["value"][0].GetProperty("queueStatus").GetString().ShouldBe("enabled");
        named["value"].EnumerateArray().Single().GetProperty("path").GetString().ShouldBe("\\Release");
        definition["repository"].GetProperty("type").GetString().ShouldBe("TfsGit");
        definition["process"].GetProperty("yamlFilename").GetString().ShouldBe("/azure-pipelines.yml");
        queued["status"].GetString().ShouldBe("notStarted");
        queued["sourceBranch"].GetString().ShouldBe("refs/heads/feature/login");
        queued["parameters"].GetString().ShouldBe("{\"configuration\":\"release\"}");
        queued["definition"].GetProperty("id").GetInt32().ShouldBe(1);
        queued["uri"].GetString().ShouldBe($"vstfs:///Build/Build/{id}");
        running["status"].GetString().ShouldBe("inProgress");
        running.Json.TryGetProperty("result", out _).ShouldBeFalse();
        runningLogs["count"].GetInt32().ShouldBe(2);
        done["status"].GetString().ShouldBe("completed");
        done["result"].GetString().ShouldBe("succeeded");
        logs["value"].EnumerateArray().Select(l => l.GetProperty("id").GetInt32()).ShouldBe([1, 2, 3]);
        logs["value"][2].GetProperty("lineCount").GetInt32().ShouldBeGreaterThan(3);
        list["value"].EnumerateArray().Select(b => b.GetProperty("id").GetInt32()).ShouldBe([id]);
        log.Content.Headers.ContentType!.MediaType.ShouldBe("text/plain");
        var text = await log.Content.ReadAsStringAsync();
        text.ShouldContain("Building Fabrikam-Fiber-CI from refs/heads/feature/login");
        text.ShouldContain("Variable configuration = release");
        lines.Split("\r\n").Length.ShouldBe(2);
        badBranch.ShouldBe(HttpStatusCode.BadRequest).Message.ShouldContain("refs/heads/nope");
        badParameters.ShouldBe(HttpStatusCode.BadRequest).Message.ShouldContain("JSON object");
        noDefinition.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Teams_AndProjectCapabilities()
    {
        var ado = AdoTestClient.For(fx);
        var project = (await ado.GetAsync($"{ado.OrgPath}/_apis/projects/{EmulatorDefaults.Project}?includeCapabilities=true")).ShouldBe(HttpStatusCode.OK);
        var plain = (await ado.GetAsync($"{ado.OrgPath}/_apis/projects/{EmulatorDefaults.Project}")).ShouldBe(HttpStatusCode.OK);
        var projectId = project["id"].GetString();

        var teams = (await ado.GetAsync($"{ado.OrgPath}/_apis/projects/{projectId}/teams")).ShouldBe(HttpStatusCode.OK);
        var all = (await ado.GetAsync($"{ado.OrgPath}/_apis/teams")).ShouldBe(HttpStatusCode.OK);
        var byName = (await ado.GetAsync($"{ado.OrgPath}/_apis/projects/{EmulatorDefaults.Project}/teams/{Uri.EscapeDataString(EmulatorDefaults.Project + " Team")}")).ShouldBe(HttpStatusCode.OK);
        var members = (await ado.GetAsync($"{ado.OrgPath}/_apis/projects/{projectId}/teams/{teams["value"][0].GetProperty("id").GetString()}/members")).ShouldBe(HttpStatusCode.OK);
        var noTeam = await ado.GetAsync($"{ado.OrgPath}/_apis/projects/{projectId}/teams/Nobody");

        project["capabilities"].GetProperty("versioncontrol").GetProperty("sourceControlType").GetString().ShouldBe("Git");
        project["capabilities"].GetProperty("processTemplate").GetProperty("templateName").GetString().ShouldBe("Agile");
        plain.Json.TryGetProperty("capabilities", out _).ShouldBeFalse();
        var team = teams["value"].EnumerateArray().Single();
        team.GetProperty("name").GetString().ShouldBe($"{EmulatorDefaults.Project} Team");
        team.GetProperty("projectId").GetString().ShouldBe(projectId);
        team.GetProperty("id").GetString().ShouldBe(project["defaultTeam"].GetProperty("id").GetString());
        all["count"].GetInt32().ShouldBeGreaterThan(1);
        byName["id"].GetString().ShouldBe(team.GetProperty("id").GetString());
        members["value"].EnumerateArray().Select(m => m.GetProperty("identity").GetProperty("uniqueName").GetString()).ShouldContain(EmulatorDefaults.BobUpn);
        noTeam.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task BuildsAndDefinitions_ArePagedWithTheContinuationHeader()
    {
        var ado = AdoTestClient.For(fx);
        var build = $"{ado.OrgPath}/{EmulatorDefaults.Project}/_apis/build";
        var queued = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            queued.Add((await ado.PostAsync($"{build}/builds", new { definition = new { id = 2 } })).ShouldBe(HttpStatusCode.OK)["id"].GetInt32());
        }

        var first = (await ado.GetAsync($"{build}/builds?definitions=2&$top=2")).ShouldBe(HttpStatusCode.OK);
        var token = first.Headers["x-ms-continuationtoken"];
        (await ado.PostAsync($"{build}/builds", new { definition = new { id = 2 } })).ShouldBe(HttpStatusCode.OK);
        var rest = (await ado.GetAsync($"{build}/builds?definitions=2&$top=100&continuationToken={Uri.EscapeDataString(token)}")).ShouldBe(HttpStatusCode.OK);
        var firstDefinition = (await ado.GetAsync($"{build}/definitions?$top=1")).ShouldBe(HttpStatusCode.OK);
        var secondDefinition = (await ado.GetAsync($"{build}/definitions?$top=1&continuationToken={Uri.EscapeDataString(firstDefinition.Headers["x-ms-continuationtoken"])}")).ShouldBe(HttpStatusCode.OK);
        var badToken = await ado.GetAsync($"{build}/builds?continuationToken=not-a-token");

        int[] Ids(Answer a) => a["value"].EnumerateArray().Select(b => b.GetProperty("id").GetInt32()).ToArray();
        Ids(first).ShouldBe(Ids(first).OrderDescending().ToArray());
        first["count"].GetInt32().ShouldBe(2);
        Ids(first).Concat(Ids(rest)).ShouldBeSubsetOf(Ids(first).Concat(Ids(rest)).Distinct());
        Ids(first).Concat(Ids(rest)).ShouldBe(Ids(first).Concat(Ids(rest)).OrderDescending());
        queued.ShouldBeSubsetOf(Ids(first).Concat(Ids(rest)));
        Ids(rest).Max().ShouldBeLessThan(Ids(first).Min());
        rest.Headers.ContainsKey("x-ms-continuationtoken").ShouldBeFalse();
        firstDefinition["value"].EnumerateArray().Single().GetProperty("name").GetString().ShouldBe("Fabrikam-Fiber-CI");
        secondDefinition["value"].EnumerateArray().Single().GetProperty("name").GetString().ShouldBe("Fabrikam-Fiber-Release");
        secondDefinition.Headers.ContainsKey("x-ms-continuationtoken").ShouldBeFalse();
        badToken.ShouldBe(HttpStatusCode.BadRequest).Message.ShouldContain("not-a-token");
    }

    private async Task<HttpResponseMessage> GetTextAsync(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes(":" + fx.State.CreatePat(EmulatorDefaults.AliceUpn, null, ["vso.build"]))));
        request.Headers.Accept.ParseAdd("text/plain");
        return await fx.Http.SendAsync(request);
    }
}
