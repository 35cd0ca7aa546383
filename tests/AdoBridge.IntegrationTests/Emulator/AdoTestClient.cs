using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AdoBridge.Emulator;

namespace AdoBridge.IntegrationTests.Emulator;

/// <summary>Calls the emulated Azure DevOps REST API as a PAT user and reads JSON answers.</summary>
internal sealed class AdoTestClient(HttpClient http, string pat, string org = EmulatorDefaults.Organization)
{
    public const string Project = EmulatorDefaults.Project;
    public const string Repo = EmulatorDefaults.RepositoryId;

    public static readonly string[] AllScopes = ["vso.code_write", "vso.code_status", "vso.threads_full", "vso.work_write", "vso.build_execute", "vso.hooks_write", "vso.project", "vso.identity", "vso.profile"];

    public static AdoTestClient For(EmulatorFixture fx, string upn = EmulatorDefaults.AliceUpn) =>
        new(fx.Http, fx.State.CreatePat(upn, null, AllScopes));

    public string OrgPath => $"{EmulatorDefaults.DevOpsHost}/{org}";

    public string RepoPath => $"{OrgPath}/{Project}/_apis/git/repositories/{Repo}";

    public Task<Answer> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    public Task<Answer> PostAsync(string path, object? body, string contentType = "application/json") => SendAsync(HttpMethod.Post, path, body, contentType);

    public Task<Answer> PatchAsync(string path, object? body, string contentType = "application/json") => SendAsync(HttpMethod.Patch, path, body, contentType);

    public Task<Answer> PutAsync(string path, object? body) => SendAsync(HttpMethod.Put, path, body);

    public Task<Answer> DeleteAsync(string path) => SendAsync(HttpMethod.Delete, path);

    public async Task<Answer> SendAsync(HttpMethod method, string path, object? body = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, WithVersion(path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes(":" + pat)));
        if (body is not null)
        {
            var json = body as string ?? JsonSerializer.Serialize(body, new JsonSerializerOptions(JsonSerializerDefaults.Web));
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var headers = response.Headers.Concat(response.Content.Headers).ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        return new Answer(response.StatusCode, text.Length > 0 && text.TrimStart().StartsWith('{') || text.TrimStart().StartsWith('[') ? JsonDocument.Parse(text).RootElement.Clone() : default, text, headers);
    }

    private static string WithVersion(string path) => path.Contains("api-version=", StringComparison.Ordinal) ? path : path + (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "api-version=7.1";
}

internal sealed record Answer(HttpStatusCode Status, JsonElement Json, string Text, IReadOnlyDictionary<string, string> Headers)
{
    public Answer ShouldBe(HttpStatusCode expected)
    {
        Status.ShouldBe(expected, Text);
        return this;
    }

    public JsonElement this[string name] => Json.GetProperty(name);

    public string Message => Json.GetProperty("message").GetString()!;
}
