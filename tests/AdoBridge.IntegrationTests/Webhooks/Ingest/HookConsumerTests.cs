using System.Net;
using System.Text.Json;
using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.Webhooks.Ingest;

/// <summary>The emulator describes Azure DevOps' webHooks consumer as Microsoft's REST specification does, and like Azure
/// DevOps never shows a confidential input again: the basis for AdoBridge keeping its hook secret in basicAuthPassword only.</summary>
public sealed class HookConsumerTests(ServiceHooksFixture fixture) : IClassFixture<ServiceHooksFixture>
{
    [Fact]
    public async Task WebHooksConsumer_DescribesItsInputs_WithOnlyThePasswordConfidential()
    {
        using var api = fixture.Server.Client();

        var consumer = await (await api.GetAsync($"{fixture.Proxy}/_apis/hooks/consumers/webHooks?api-version=7.1")).ShouldBeJsonAsync();
        var list = await (await api.GetAsync($"{fixture.Proxy}/_apis/hooks/consumers?api-version=7.1")).ShouldBeJsonAsync();

        consumer.GetProperty("id").GetString().ShouldBe("webHooks");
        consumer.GetProperty("name").GetString().ShouldBe("Web Hooks");
        var action = consumer.GetProperty("actions").EnumerateArray().ShouldHaveSingleItem();
        action.GetProperty("id").GetString().ShouldBe("httpRequest");
        action.GetProperty("supportedEventTypes").EnumerateArray().Select(e => e.GetString()).ShouldBe(["*"]);
        var inputs = action.GetProperty("inputDescriptors").EnumerateArray().ToDictionary(i => i.GetProperty("id").GetString()!, i => i);
        inputs.Keys.ShouldBe(["url", "httpHeaders", "basicAuthUsername", "basicAuthPassword", "resourceDetailsToSend", "messagesToSend", "detailedMessagesToSend"]);
        inputs.Where(i => i.Value.GetProperty("isConfidential").GetBoolean()).Select(i => i.Key).ShouldBe(["basicAuthPassword"]);
        inputs["basicAuthPassword"].GetProperty("inputMode").GetString().ShouldBe("passwordBox");
        inputs["url"].GetProperty("validation").GetProperty("isRequired").GetBoolean().ShouldBeTrue();
        inputs["messagesToSend"].GetProperty("values").GetProperty("possibleValues").EnumerateArray().Select(v => v.GetProperty("value").GetString())
            .ShouldBe(["", "text", "html", "markdown", "none"]);
        list.GetProperty("value").EnumerateArray().Select(c => c.GetProperty("id").GetString()).ShouldContain("webHooks");
        (await api.GetAsync($"{fixture.Proxy}/_apis/hooks/consumers/slack?api-version=7.1")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ReadingSubscriptions_MasksTheConfidentialInput_AndAReplaceKeepsTheStoredSecret()
    {
        using var api = fixture.Server.Client();
        var subscription = await fixture.SubscribeAsync("workitem.restored");
        var hook = subscription.GetProperty("hooks")[0];
        var azureId = hook.GetProperty("azureSubscriptionId").GetString()!;
        var (_, secret) = await fixture.IngestOfAsync(hook);

        var one = await (await api.GetAsync($"{fixture.Proxy}/_apis/hooks/subscriptions/{azureId}?api-version=7.1")).ShouldBeJsonAsync();
        var all = await (await api.GetAsync($"{fixture.Proxy}/_apis/hooks/subscriptions?api-version=7.1")).ShouldBeJsonAsync();
        (await api.PutAsync($"{fixture.Proxy}/_apis/hooks/subscriptions/{azureId}?api-version=7.1",
            new StringContent(one.GetRawText(), System.Text.Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();

        one.GetProperty("consumerInputs").GetProperty("basicAuthPassword").GetString().ShouldBe("********");
        one.GetProperty("consumerInputs").GetProperty("basicAuthUsername").GetString().ShouldBe("adobridge");
        all.ToString().ShouldNotContain(secret);
        (await fixture.IngestOfAsync(hook)).Secret.ShouldBe(secret);
    }
}
