using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AdoBridge.Emulator;
using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.Webhooks;

/// <summary>Microsoft's published service-hook samples (tests/AdoBridge.UnitTests/Webhooks/Samples, copied to Samples/),
/// re-targeted to the sandbox: as Azure DevOps would send them for the fabrikam organisation's project.</summary>
public static class SandboxPayloads
{
    public static JsonObject Sample(string file) => JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Samples", file)))!.AsObject();

    /// <summary>
    /// The sample with a fresh event id, resourceContainers naming the sandbox organisation's collection and the project,
    /// and every project reference in the resource set to that project (the samples use placeholder ids that do not agree
    /// with each other). A sample without a project container (tfvc.checkin) gets one, as Azure DevOps sends for
    /// project-scoped events. Nothing else changes, so every other fact is the published one.
    /// </summary>
    public static JsonObject Retarget(JsonObject sample, string projectId, string? eventId = null)
    {
        const string BaseUrl = "https://dev.azure.com/fabrikam/";
        sample["id"] = eventId ?? Guid.NewGuid().ToString();
        sample["resourceContainers"] = new JsonObject
        {
            ["collection"] = new JsonObject { ["id"] = EmulatorDefaults.OrganizationId, ["baseUrl"] = BaseUrl },
            ["account"] = new JsonObject { ["id"] = EmulatorDefaults.OrganizationId, ["baseUrl"] = BaseUrl },
            ["project"] = new JsonObject { ["id"] = projectId, ["baseUrl"] = BaseUrl },
        };
        if (sample["resource"] is JsonObject resource)
        {
            SetProjects(resource, projectId);
        }

        return sample;
    }

    /// <summary>POSTs a notification the way Azure DevOps does for AdoBridge's hooks: basic auth, user adobridge.</summary>
    public static HttpRequestMessage Post(string url, string body, string? password, string user = "adobridge")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (password is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        }

        return request;
    }

    /// <summary>The ingest URL and secret Azure DevOps holds for a hook, read from the sandbox emulator's store (through its
    /// admin API, found via <paramref name="api"/>'s /v1/sandbox): Azure DevOps itself never shows the secret again, as
    /// basicAuthPassword is confidential and read back masked.</summary>
    public static async Task<(string Url, string Secret)> IngestOfAsync(HttpClient api, string azureSubscriptionId)
    {
        var sandbox = await (await api.GetAsync("/v1/sandbox")).ShouldBeJsonAsync();
        using var admin = new HttpClient { BaseAddress = new Uri(sandbox.GetProperty("emulatorBaseUrl").GetString()! + "_admin/") };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", sandbox.GetProperty("emulatorAdminToken").GetString());
        var inputs = await (await admin.GetAsync($"hooks/subscriptions/{azureSubscriptionId}/consumer-inputs")).ShouldBeJsonAsync();
        return (inputs.GetProperty("url").GetString()!, inputs.GetProperty("basicAuthPassword").GetString()!);
    }

    /// <summary>A value at a path such as "resource/fields/System.Title" (array items by index) as text, or null: strings as they are, other values as JSON.</summary>
    public static string? At(JsonElement root, string path)
    {
        var node = root;
        foreach (var part in path.Split('/'))
        {
            if (node.ValueKind == JsonValueKind.Object && node.TryGetProperty(part, out var child))
            {
                node = child;
            }
            else if (node.ValueKind == JsonValueKind.Array && int.TryParse(part, out var i) && i < node.GetArrayLength())
            {
                node = node[i];
            }
            else
            {
                return null;
            }
        }

        return node.ValueKind switch
        {
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            JsonValueKind.String => node.GetString(),
            _ => node.GetRawText(),
        };
    }

    private static void SetProjects(JsonNode node, string projectId)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (name, value) in o.ToList())
                {
                    if (name == "project" && value is JsonObject project && project.ContainsKey("id"))
                    {
                        project["id"] = projectId;
                    }

                    if (value is not null)
                    {
                        SetProjects(value, projectId);
                    }
                }

                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    if (item is not null)
                    {
                        SetProjects(item, projectId);
                    }
                }

                break;
        }
    }
}
