using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using AdoBridge.BrowserTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AdoBridge.BrowserTests.AdminConsole;

/// <summary>
/// The operator's delivery pages in one browser: add a webhook endpoint and send it a test (the attempt shows on the
/// event's page), search the event log's payloads, bulk-replay a filter after seeing its count, and the service-hook
/// page. axe-core on every page, at desktop and phone width.
/// </summary>
public sealed class ConsoleDeliveryBrowserTests(ChromiumFixture fixture) : IClassFixture<ChromiumFixture>
{

    [Fact]
    public async Task Webhook_Test_PayloadSearch_BulkReplay_ServiceHooks()
    {
        await using var receiver = await StartReceiverAsync();
        await CreatePatConnectionAsync("browser-alice");
        await CreatePatConnectionAsync("browser-bob");

        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        // Setup signs the owner in and lands on the overview.
        await ConsoleOwner.SetUpAsync(page, fixture.Server);

        // Add an endpoint: the secret is shown once; then send it a test and follow it to the event's attempts.
        await page.GotoAsync(new Uri(fixture.Server.BaseUrl, "/console/webhooks").ToString());
        await Expect(page.Locator("main")).ToContainTextAsync("has no webhook endpoint yet");
        await Accessibility.AssertAccessibleAsync(page, "console-webhooks-empty");
        await page.GetByLabel("URL").FillAsync(receiver.Url);
        await page.GetByLabel("Event types").FillAsync("connection.*");
        await page.GetByLabel("Note (optional)").FillAsync("browser receiver");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add the endpoint" }).ClickAsync();
        await Expect(page.GetByLabel("Signing secret (shown once)")).ToHaveValueAsync(new Regex("^whsec_"));
        await Accessibility.AssertAccessibleAsync(page, "console-webhook-created");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send a test event" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("A webhook.test event");
        await Expect(page.GetByLabel("Signing secret (shown once)")).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Link, new() { Name = "Open the test event" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Event");
        for (var i = 0; i < 50 && await page.Locator("td[data-label=Outcome]", new() { HasTextString = "succeeded" }).CountAsync() == 0; i++)
        {
            await Task.Delay(200);
            await page.ReloadAsync();
        }

        await Expect(page.Locator("td[data-label=Status]").First).ToHaveTextAsync("200");
        await Expect(page.Locator("td[data-label=Response]").First).ToContainTextAsync("received");
        await Accessibility.AssertAccessibleAsync(page, "console-event");
        receiver.Count.ShouldBeGreaterThanOrEqualTo(1);

        // The endpoint list shows its health.
        await page.GotoAsync(new Uri(fixture.Server.BaseUrl, "/console/webhooks").ToString());
        await Expect(page.Locator("td[data-label='Success rate']")).ToContainTextAsync("100% of 1 attempt");
        await Accessibility.AssertAccessibleAsync(page, "console-webhooks");

        // Payload search: the connection.created event of one end user.
        await page.GotoAsync(new Uri(fixture.Server.BaseUrl, "/console/events").ToString());
        await Accessibility.AssertAccessibleAsync(page, "console-events");
        await page.GetByLabel("Search in payloads").FillAsync("browser-alice");
        await Expect(page.Locator("#results tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("#results tbody")).ToContainTextAsync("connection.created");
        await page.WaitForURLAsync(new Regex("search=browser-alice"));
        await page.GetByLabel("Search in payloads").FillAsync(string.Empty);
        await page.GetByLabel("Type").FillAsync("connection.created");
        await Expect(page.Locator("#results tbody tr")).ToHaveCountAsync(2);

        // Bulk replay: the count first, then the run.
        var before = receiver.Count;
        await page.GetByRole(AriaRole.Link, new() { Name = "Replay every event this filter matches…" }).ClickAsync();
        await Expect(page.Locator("#bulk-count")).ToContainTextAsync("2 events match this filter");
        await Accessibility.AssertAccessibleAsync(page, "console-bulk-replay-confirm");
        await page.GetByRole(AriaRole.Button, new() { Name = "Replay 2 events" }).ClickAsync();
        // The run's own page, which the server works on its own and htmx polls until it is done.
        await page.WaitForURLAsync(new Regex("/console/events/bulk-replays/brr_"));
        await Expect(page.Locator("#bulk-replay-state")).ToContainTextAsync("Done: 2 events are on their way again", new() { Timeout = 20_000 });
        await Expect(page.Locator("#bulk-replay-run progress")).ToHaveAttributeAsync("value", "2");
        await Accessibility.AssertAccessibleAsync(page, "console-bulk-replay-done");
        await page.GetByRole(AriaRole.Link, new() { Name = "All bulk replays" }).ClickAsync();
        await Expect(page.Locator("td[data-label='State']").First).ToContainTextAsync("finished");
        await Accessibility.AssertAccessibleAsync(page, "console-bulk-replay-runs");
        for (var i = 0; i < 50 && receiver.Count < before + 2; i++)
        {
            await Task.Delay(100);
        }

        receiver.Count.ShouldBeGreaterThanOrEqualTo(before + 2);

        // Service-hook health, and the event log at phone width.
        await page.GotoAsync(new Uri(fixture.Server.BaseUrl, "/console/service-hooks").ToString());
        await Expect(page.Locator("main")).ToContainTextAsync("has no subscription yet");
        await Accessibility.AssertAccessibleAsync(page, "console-service-hooks");
        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync(new Uri(fixture.Server.BaseUrl, "/console/events?type=connection.created").ToString());
        await Expect(page.Locator("#results tbody tr")).ToHaveCountAsync(2);
        await Accessibility.AssertAccessibleAsync(page, "console-events-phone");
        await page.GetByRole(AriaRole.Link, new() { Name = "Bulk replays" }).ClickAsync();
        await page.Locator("td[data-label='Run'] a").First.ClickAsync();
        await Expect(page.Locator("#bulk-replay-state")).ToContainTextAsync("Done: 2 events");
        await Accessibility.AssertAccessibleAsync(page, "console-bulk-replay-run-phone");
        var overflow = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth");
        overflow.ShouldBeFalse("the run's page fits a phone's width");
    }

    private async Task CreatePatConnectionAsync(string endUserId)
    {
        using var api = fixture.Server.Api();
        var sandbox = await api.GetFromJsonAsync<System.Text.Json.JsonElement>("/v1/sandbox");
        using var response = await api.PostAsJsonAsync("/v1/connections", new
        {
            type = "pat",
            endUserId,
            organization = sandbox.GetProperty("organization").GetString(),
            pat = sandbox.GetProperty("pat").GetString(),
        });
        response.IsSuccessStatusCode.ShouldBeTrue(await response.Content.ReadAsStringAsync());
    }
    /// <summary>The product's webhook endpoint: a loopback listener that answers 200 and counts what it received.</summary>
    private static async Task<Receiver> StartReceiverAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new Receiver(app);
        app.MapPost("/hooks", () =>
        {
            receiver.Count1();
            return Microsoft.AspNetCore.Http.Results.Text("received");
        });
        await app.StartAsync();
        receiver.Url = app.Urls.First().TrimEnd('/') + "/hooks";
        return receiver;
    }

    private sealed class Receiver(WebApplication app) : IAsyncDisposable
    {
        private int received;

        public string Url { get; set; } = string.Empty;

        public int Count => Volatile.Read(ref received);

        public void Count1() => Interlocked.Increment(ref received);

        public async ValueTask DisposeAsync() => await app.DisposeAsync();
    }
}
