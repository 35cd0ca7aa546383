using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using AdoBridge.Emulator;

namespace AdoBridge.IntegrationTests.Emulator;

/// <summary>The resource locations the emulator advertises are exactly what it serves: every location, on every service,
/// answers a sample request with something other than 404 or 405 (Microsoft's clients treat a 404 as "no such item"
/// and return null silently).</summary>
public sealed partial class ResourceLocationsTests(EmulatorFixture fx) : IClassFixture<EmulatorFixture>
{
    // Locations only written to: a sample POST with an empty object is refused for its content, never as unknown.
    private static readonly string[] PostOnly =
    [
        "62d3d110-0047-428c-ad3c-4fe872c91c74", // wit workItems/${type}
        "908509b6-4248-4475-a1cd-829139ba419f", // wit workItemsBatch
        "1a9c53f7-f243-4447-b110-35ef023636e4", // wit wiql
    ];

    [Fact]
    public async Task EveryAdvertisedLocation_IsServed()
    {
        var pat = fx.State.CreatePat(EmulatorDefaults.AliceUpn, null, [.. AdoTestClient.AllScopes, "vso.build_execute"]);
        var samples = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["project"] = EmulatorDefaults.Project,
            ["projectId"] = EmulatorDefaults.Project,
            ["repositoryId"] = EmulatorDefaults.RepositoryId,
            ["pullRequestId"] = "1",
            ["iterationId"] = "1",
            ["threadId"] = "1",
            ["commentId"] = "1",
            ["reviewerId"] = EmulatorDefaults.BobId,
            ["commitId"] = fx.State.Read(d => d.Repositories.First(r => r.Id == Guid.Parse(EmulatorDefaults.RepositoryId)).Refs["refs/heads/main"]),
            ["id"] = "1",
            ["workItemId"] = "1",
            ["updateNumber"] = "1",
            ["revisionNumber"] = "1",
            ["type"] = "Bug",
            ["fieldNameOrRefName"] = "System.Title",
            ["structureGroup"] = "Areas",
            ["teamId"] = $"{EmulatorDefaults.Project} Team",
            ["configurationId"] = "1",
            ["typeId"] = "fa4e907d-c16b-4a4c-9dfa-4906e5d171dd",
            ["definitionId"] = "1",
            ["buildId"] = "1",
            ["logId"] = "1",
            ["pipelineId"] = "1",
            ["runId"] = "1",
            ["areaId"] = "4e080c62-fa21-4fbc-8fef-2a10a2b38049",
            ["consumerId"] = "webHooks",
        };
        // A sample per location where the shared one does not fit: the recycle bin holds only deleted work items, a
        // profile is read as "me", and a WIQL post runs the query in the body (its {id} is a saved query's).
        var ado = AdoTestClient.For(fx);
        var deleted = (await ado.PostAsync($"{ado.OrgPath}/{EmulatorDefaults.Project}/_apis/wit/workitems/$Task", new[] { new { op = "add", path = "/fields/System.Title", value = "Deleted" } }, "application/json-patch+json")).ShouldBe(HttpStatusCode.OK)["id"].GetInt32();
        (await ado.DeleteAsync($"{ado.OrgPath}/_apis/wit/workitems/{deleted}")).ShouldBe(HttpStatusCode.OK);
        var comment = (await ado.PostAsync($"{ado.OrgPath}/{EmulatorDefaults.Project}/_apis/wit/workitems/1/comments?api-version=7.1-preview.4", new { text = "A sample comment" })).ShouldBe(HttpStatusCode.OK)["id"].GetInt32();
        var overrides = new Dictionary<string, Dictionary<string, string>>
        {
            ["608aac0a-32e1-4493-a863-b9cf4566d257"] = new() { ["commentId"] = comment.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            ["b70d8d39-926c-465e-b927-b1bf0e5ca0e0"] = new() { ["id"] = deleted.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            ["f83735dc-483f-4238-a291-d45f6080a9af"] = new() { ["id"] = "me" },
            ["1a9c53f7-f243-4447-b110-35ef023636e4"] = new() { ["id"] = string.Empty },
        };
        var services = new[] { $"{EmulatorDefaults.DevOpsHost}/fabrikam", $"{EmulatorDefaults.VsspsHost}/fabrikam", EmulatorDefaults.VsspsAppHost };
        var checkedCount = 0;
        var failures = new List<string>();
        foreach (var service in services)
        {
            var locations = await Json.OkAsync(await fx.Http.SendAsync(new HttpRequestMessage(HttpMethod.Options, $"{service}/_apis")));
            foreach (var location in locations.GetProperty("value").EnumerateArray())
            {
                var id = location.GetProperty("id").GetString()!;
                var path = Fill(location, overrides.TryGetValue(id, out var own) ? new Dictionary<string, string>(samples.Concat(own).GroupBy(p => p.Key).Select(g => g.Last()), StringComparer.OrdinalIgnoreCase) : samples);
                var post = PostOnly.Contains(id);
                using var request = new HttpRequestMessage(post ? HttpMethod.Post : HttpMethod.Get, $"{service}/{path}{(path.Contains('?', StringComparison.Ordinal) ? "&" : "?")}api-version=7.1-preview.{location.GetProperty("resourceVersion").GetInt32()}");
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes(":" + pat)));
                if (post)
                {
                    request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
                }

                using var response = await fx.Http.SendAsync(request);
                checkedCount++;
                if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed)
                {
                    failures.Add($"{location.GetProperty("area").GetString()}/{location.GetProperty("resourceName").GetString()} ({id}) at {request.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
            }
        }

        failures.ShouldBeEmpty();
        checkedCount.ShouldBeGreaterThan(50);
    }

    [Fact]
    public async Task TheHooksConsumers_AreAdvertisedWhereTheyAreServed()
    {
        var ado = AdoTestClient.For(fx);

        var locations = await Json.OkAsync(await fx.Http.SendAsync(new HttpRequestMessage(HttpMethod.Options, $"{ado.OrgPath}/_apis")));
        var consumers = locations.GetProperty("value").EnumerateArray().Single(l => l.GetProperty("id").GetString() == "4301c514-5f34-4f5d-a145-f0ea7b5b7d19");

        consumers.GetProperty("area").GetString().ShouldBe("hooks");
        consumers.GetProperty("resourceName").GetString().ShouldBe("consumers");
        consumers.GetProperty("routeTemplate").GetString().ShouldBe("_apis/{area}/{resource}/{consumerId}");
        (await ado.GetAsync($"{ado.OrgPath}/_apis/hooks/consumers")).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task EveryResourceArea_HasLocationsOnItsService()
    {
        var ado = AdoTestClient.For(fx);

        var areas = (await ado.GetAsync($"{ado.OrgPath}/_apis/resourceAreas")).ShouldBe(HttpStatusCode.OK);
        var organization = await Json.OkAsync(await fx.Http.SendAsync(new HttpRequestMessage(HttpMethod.Options, $"{ado.OrgPath}/_apis")));
        var app = await Json.OkAsync(await fx.Http.SendAsync(new HttpRequestMessage(HttpMethod.Options, $"{EmulatorDefaults.VsspsAppHost}/_apis")));

        var served = organization.GetProperty("value").EnumerateArray().Concat(app.GetProperty("value").EnumerateArray())
            .Select(l => l.GetProperty("area").GetString()!.ToLowerInvariant()).ToHashSet();
        foreach (var area in areas["value"].EnumerateArray())
        {
            served.ShouldContain(area.GetProperty("name").GetString()!.ToLowerInvariant());
        }
    }

    /// <summary>Fills a route template like the official clients: {area} and {resource} from the location, known route
    /// values from the samples, and an optional trailing value left out when there is no sample.</summary>
    private static string Fill(JsonElement location, Dictionary<string, string> samples)
    {
        var template = location.GetProperty("routeTemplate").GetString()!
            .Replace("{area}", location.GetProperty("area").GetString(), StringComparison.Ordinal)
            .Replace("{resource}", location.GetProperty("resourceName").GetString(), StringComparison.Ordinal)
            .Replace("${type}", "$Task", StringComparison.Ordinal);
        var filled = Placeholder().Replace(template, m =>
        {
            var name = m.Groups[1].Value;
            return samples.TryGetValue(name, out var value) ? Uri.EscapeDataString(value) : string.Empty;
        });
        return Regex.Replace(filled, "/+", "/").TrimEnd('/');
    }

    [GeneratedRegex(@"\{\*?([A-Za-z]+)\}")]
    private static partial Regex Placeholder();
}
