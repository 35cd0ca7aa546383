using System.Net;
using System.Net.Http.Headers;
using System.Text;
using AdoBridge.Emulator;

namespace AdoBridge.IntegrationTests.Emulator;

public sealed class PipelinesAndItemsTests(EmulatorFixture fx) : IClassFixture<EmulatorFixture>
{
    [Fact]
    public async Task PipelineRun_CompletesOnTheEmulatorClock_AndFiresBuildComplete()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var ado = AdoTestClient.For(fx);
        (await ado.PostAsync($"{ado.OrgPath}/_apis/hooks/subscriptions", new { publisherId = "tfs", eventType = "build.complete", consumerId = "webHooks", consumerActionId = "httpRequest", consumerInputs = new { url = receiver.Url } })).ShouldBe(HttpStatusCode.OK);
        var pipelines = $"{ado.OrgPath}/{AdoTestClient.Project}/_apis/pipelines";

        var list = (await ado.GetAsync(pipelines)).ShouldBe(HttpStatusCode.OK);
        var run = (await ado.PostAsync($"{pipelines}/1/runs", new { resources = new { repositories = new { self = new { refName = "refs/heads/feature/login" } } }, templateParameters = new { env = "test" } })).ShouldBe(HttpStatusCode.OK);
        var runId = run["id"].GetInt32();
        var before = (await ado.GetAsync($"{pipelines}/1/runs/{runId}")).ShouldBe(HttpStatusCode.OK);
        fx.State.AdvanceClock(TimeSpan.FromSeconds(31));
        var after = (await ado.GetAsync($"{pipelines}/1/runs/{runId}")).ShouldBe(HttpStatusCode.OK);
        var hook = await receiver.NextAsync();

        list["count"].GetInt32().ShouldBe(2);
        run["state"].GetString().ShouldBe("inProgress");
        run["resources"].GetProperty("repositories").GetProperty("self").GetProperty("refName").GetString().ShouldBe("refs/heads/feature/login");
        before["state"].GetString().ShouldBe("inProgress");
        after["state"].GetString().ShouldBe("completed");
        after["result"].GetString().ShouldBe("succeeded");
        hook.EventType.ShouldBe("build.complete");
        hook.Body.GetProperty("resource").GetProperty("id").GetInt32().ShouldBe(runId);
        hook.Body.GetProperty("resource").GetProperty("sourceBranch").GetString().ShouldBe("refs/heads/feature/login");
    }

    [Fact]
    public async Task LargeSyntheticItem_StreamsWithContentLength_WithoutMemoryGrowingWithSize()
    {
        const long size = 200L * 1024 * 1024;
        fx.State.AddSyntheticFile(Guid.Parse(EmulatorDefaults.RepositoryId), "/bench/big.bin", size);
        var pat = fx.State.CreatePat(EmulatorDefaults.AliceUpn, null, ["vso.code"]);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{EmulatorDefaults.DevOpsHost}/fabrikam/_apis/git/repositories/{EmulatorDefaults.RepositoryId}/items?path=/bench/big.bin&api-version=7.1");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes(":" + pat)));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/octet-stream"));
        var memoryBefore = GC.GetTotalMemory(forceFullCollection: true);

        using var response = await fx.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using var stream = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[81920];
        long total = 0;
        long peak = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            total += read;
            if (total % (16 * 1024 * 1024) < read)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: false) - memoryBefore);
            }
        }

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentLength.ShouldBe(size);
        total.ShouldBe(size);
        peak.ShouldBeLessThan(64L * 1024 * 1024);
    }
}
