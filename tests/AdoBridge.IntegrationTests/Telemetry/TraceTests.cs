using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using AdoBridge.IntegrationTests.Infrastructure;
using AdoBridge.IntegrationTests.Storage;
using AdoBridge.IntegrationTests.Webhooks;
using Xunit.Abstractions;

namespace AdoBridge.IntegrationTests.Telemetry;

/// <summary>
/// The traces an OTLP backend receives, captured with the in-memory exporter: a pull request event from ingest to the
/// product's endpoint is one trace whose context the product receives in `traceparent`, and a proxied call is one trace
/// through to Azure DevOps (the emulator). The span lists printed here are the ones shown in the README.
/// </summary>
[Collection(TracedServer.Collection)]
public sealed class TraceTests(ITestOutputHelper output)
{
    private const string Project = "Fabrikam-Fiber-Git";

    // On both engines: PostgreSQL's sender reads the claimed events (and their trace context) in the claiming statement.
    [Theory]
    [MemberData(nameof(StorageEngine.Both), MemberType = typeof(StorageEngine))]
    public async Task PullRequestEvent_IsOneTraceFromIngestToTheProduct_AndTheProductReceivesTheDeliverySpanAsTraceparent(string engine)
    {
        await using var traced = await TracedServer.StartAsync(engine: engine);
        var server = traced.Server;
        await using var receiver = await ProductReceiver.StartAsync();
        using var api = server.Client();
        var (endpointId, secret) = await api.CreateEndpointAsync(receiver.Url("prs"), "pull_request.*");
        var connectionId = await server.ConnectWithMicrosoftAsync("traced-user");
        await (await api.PostAsJsonAsync($"/v1/connections/{connectionId}/subscriptions", new { organization = "fabrikam", project = Project, events = new[] { "git.pullrequest.created" } }))
            .ShouldBeJsonAsync(HttpStatusCode.Created);

        using var proxied = await api.PostAsJsonAsync($"/v1/proxy/{connectionId}/fabrikam/{Project}/_apis/git/repositories/{Project}/pullrequests?api-version=7.1",
            new { sourceRefName = "refs/heads/users/bob/readme-typo", targetRefName = "refs/heads/main", title = "Traced: fix README typo" });
        proxied.StatusCode.ShouldBe(HttpStatusCode.Created);
        var receipt = await receiver.NextAsync("prs", r => r.Json.GetProperty("type").GetString() == "pull_request.created", TimeSpan.FromSeconds(15));
        receipt.ShouldVerifyWith(secret);
        var eventId = receipt.WebhookId;

        // What the product received is the delivery span's own context.
        receipt.Headers.ContainsKey("traceparent").ShouldBeTrue("each delivery carries the W3C traceparent");
        var received = ActivityContext.Parse(receipt.Headers["traceparent"], null);
        var delivery = await traced.SpanAsync(s => s.OperationName == "adobridge.webhook.deliver" && Tag(s, "adobridge.event.id") == eventId);
        delivery.TraceId.ShouldBe(received.TraceId);
        delivery.SpanId.ShouldBe(received.SpanId);
        delivery.Kind.ShouldBe(ActivityKind.Client);
        Tag(delivery, "adobridge.endpoint.id").ShouldBe(endpointId);
        Tag(delivery, "adobridge.connection.id").ShouldBe(connectionId);
        Tag(delivery, "adobridge.event.type").ShouldBe("pull_request.created");
        Tag(delivery, "adobridge.delivery.id").ShouldNotBeNullOrEmpty();
        Tag(delivery, "outcome").ShouldBe("succeeded");

        // It continues the ingest request's trace: its parent is the server span that stored the event.
        var ingest = await traced.SpanAsync(s => s.Kind == ActivityKind.Server && Tag(s, "adobridge.event.id") == eventId);
        ingest.TraceId.ShouldBe(delivery.TraceId);
        delivery.ParentSpanId.ShouldBe(ingest.SpanId);
        Tag(ingest, "http.route").ShouldBe("/hooks/ado/{path}");
        Tag(ingest, "url.path").ShouldBe("/hooks/ado/{path}");
        Tag(ingest, "adobridge.connection.id").ShouldBe(connectionId);

        // The group commit that stored it is linked to the ingest request.
        var batch = await traced.SpanAsync(s => s.OperationName == "adobridge.ingest.batch" && s.Links.Any(l => l.Context.SpanId == ingest.SpanId));
        batch.TraceId.ShouldNotBe(ingest.TraceId);

        var proxyTrace = (await traced.SpanAsync(s => s.Kind == ActivityKind.Server && Tag(s, "http.route") == "/v1/proxy/{connectionId}/{**path}"
            || (s.Kind == ActivityKind.Server && (Tag(s, "url.path") ?? "").StartsWith($"/v1/proxy/{connectionId}/", StringComparison.Ordinal)))).TraceId;
        var proxySpans = (await WholeTraceAsync(traced, proxyTrace, minimum: 3)).Where(s => !Descendants(traced.Spans, ingest).Contains(s)).ToList();
        proxySpans.ShouldContain(s => s.Kind == ActivityKind.Client && s.ParentSpanId != default);
        proxySpans.ShouldContain(s => s.Kind == ActivityKind.Server && s.ParentSpanId != default, "the emulator's server span joins the proxied call's trace");
        proxySpans.ShouldContain(s => s.OperationName == "adobridge.azure_devops.call" && Tag(s, "adobridge.connection.id") == connectionId,
            "the proxy wraps the call and its retries in one span, as the typed actions' sender does");

        // In the sandbox the emulator posts the hook while it serves the proxied call, so its traceparent makes the event's
        // trace continue the proxied call's. The lists show the event's part (from the ingest request down, and the batch)
        // and the proxied call's part apart; Azure DevOps itself sends no traceparent, so there ingest starts the trace.
        var eventSpans = Descendants(traced.Spans.Where(s => s.TraceId == delivery.TraceId).ToList(), ingest).Append(batch).ToList();
        var secrets = new[] { secret, AdoBridgeServer.BootstrapKey, "whsec_", "adbk_", "Bearer ", "Basic ", "eyJ", "v1," };
        foreach (var span in eventSpans.Concat(proxySpans))
        {
            foreach (var (key, value) in span.TagObjects)
            {
                var text = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "";
                secrets.ShouldAllBe(s => !text.Contains(s, StringComparison.Ordinal), $"{span.OperationName} {key}={text}");
                (text.Contains("/hooks/ado/", StringComparison.Ordinal) && !text.EndsWith("{path}", StringComparison.Ordinal))
                    .ShouldBeFalse($"{span.OperationName} {key} carries an ingest URL, whose path is the hook's credential");
            }
        }

        output.WriteLine("(a) one pull-request event, ingest to the product's endpoint:");
        output.WriteLine(Render(eventSpans));
        output.WriteLine("(b) one proxied call:");
        output.WriteLine(Render(proxySpans));
    }

    private static async Task<List<Activity>> WholeTraceAsync(TracedServer traced, ActivityTraceId trace, int minimum)
    {
        // The server span ends last; give the others (already ended) and it a moment to be exported.
        for (var i = 0; i < 200; i++)
        {
            var spans = traced.Spans.Where(s => s.TraceId == trace).ToList();
            if (spans.Count >= minimum && spans.Any(s => s.ParentSpanId == default))
            {
                return spans;
            }

            await Task.Delay(25);
        }

        return traced.Spans.Where(s => s.TraceId == trace).ToList();
    }

    private static List<Activity> Descendants(IReadOnlyList<Activity> spans, Activity root)
    {
        var found = new List<Activity> { root };
        for (var i = 0; i < found.Count; i++)
        {
            found.AddRange(spans.Where(s => s.ParentSpanId == found[i].SpanId && s.TraceId == root.TraceId));
        }

        return found;
    }

    internal static string? Tag(Activity span, string key) => span.GetTagItem(key) is { } v ? Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) : null;

    private static readonly string[] Shown =
    [
        "http.request.method", "http.route", "url.path", "server.address", "http.response.status_code",
        "adobridge.event.id", "adobridge.event.type", "adobridge.connection.id", "adobridge.subscription.id", "adobridge.endpoint.id",
        "adobridge.delivery.id", "adobridge.delivery.attempt", "adobridge.ingest.batch.size", "adobridge.ingest.batch.stored", "outcome",
    ];

    /// <summary>The span list as a table: name, kind, parent, key attributes (ids shortened to their prefix).</summary>
    private static string Render(IEnumerable<Activity> spans)
    {
        var list = spans.OrderBy(s => s.StartTimeUtc).ToList();
        var text = new StringBuilder("| span | kind | parent | key attributes |\n|---|---|---|---|\n");
        foreach (var s in list)
        {
            var parent = s.ParentSpanId == default ? "(root)" : list.FirstOrDefault(p => p.SpanId == s.ParentSpanId)?.DisplayName ?? "(remote)";
            var attributes = Shown.Where(k => s.GetTagItem(k) is not null).Select(k => $"`{k}`={Short(Tag(s, k)!)}");
            var links = s.Links.Any() ? $" links: {s.Links.Count()} ingest request(s)" : "";
            text.Append($"| {s.DisplayName} | {s.Kind} | {parent} | {string.Join(", ", attributes)}{links} |\n");
        }

        return text.ToString();
    }

    private static string Short(string value)
        => value.Length > 20 && value.Contains('_', StringComparison.Ordinal) ? value[..(value.IndexOf('_', StringComparison.Ordinal) + 1)] + "…" : value;
}
