using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AdoBridge.AzureDevOps;

namespace AdoBridge.Sandbox;

/// <summary>
/// Does things in the emulated organisation through its ordinary Azure DevOps REST API, as the sandbox PAT's user would
/// (a push, a pull request, a comment, a work item), so the emulator fires its service hooks exactly as for any client.
/// </summary>
internal sealed class EmulatorActor(HttpClient http, string organizationUrl, string project, string repository) : IDisposable
{
    private const string ApiVersion = "api-version=7.1";

    public static EmulatorActor Create(IHttpClientFactory factory, string emulatorBase, string pat, string organization, string project, string repository)
    {
        var http = factory.CreateClient(DevOpsClient.HttpClientName);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(":" + pat)));
        return new EmulatorActor(http, $"{emulatorBase}{Emulator.EmulatorDefaults.DevOpsHost}/{Uri.EscapeDataString(organization)}", project, repository);
    }

    private string Repo => $"{organizationUrl}/{Uri.EscapeDataString(project)}/_apis/git/repositories/{Uri.EscapeDataString(repository)}";

    /// <summary>Pushes one commit adding a file, to <paramref name="branch"/> (made from the default branch when new); returns the commit id.</summary>
    public async Task<string> PushAsync(string branch, string? oldObjectId, string path, string content, CancellationToken ct)
    {
        var answer = await SendAsync(HttpMethod.Post, $"{Repo}/pushes?{ApiVersion}", new
        {
            refUpdates = new[] { new { name = branch, oldObjectId = oldObjectId ?? new string('0', 40) } },
            commits = new[] { new { comment = "AdoBridge sandbox trigger: " + path, changes = new[] { new { changeType = "add", item = new { path }, newContent = new { content, contentType = "rawtext" } } } } },
        }, ct);
        return answer.GetProperty("commits")[0].GetProperty("commitId").GetString()!;
    }

    public async Task<(int Id, string SourceCommit)> CreatePullRequestAsync(string branch, string title, CancellationToken ct)
    {
        var answer = await SendAsync(HttpMethod.Post, $"{Repo}/pullrequests?{ApiVersion}", new
        {
            sourceRefName = branch,
            targetRefName = "refs/heads/main",
            title,
            description = "Made by POST /v1/sandbox/trigger.",
        }, ct);
        return (answer.GetProperty("pullRequestId").GetInt32(), answer.GetProperty("lastMergeSourceCommit").GetProperty("commitId").GetString()!);
    }

    public Task RetitlePullRequestAsync(int id, string title, CancellationToken ct)
        => SendAsync(HttpMethod.Patch, $"{Repo}/pullrequests/{id}?{ApiVersion}", new { title }, ct);

    public Task CompletePullRequestAsync(int id, string sourceCommit, CancellationToken ct)
        => SendAsync(HttpMethod.Patch, $"{Repo}/pullrequests/{id}?{ApiVersion}",
            new { status = "completed", lastMergeSourceCommit = new { commitId = sourceCommit }, completionOptions = new { deleteSourceBranch = true } }, ct);

    public async Task<int> CommentOnPullRequestAsync(int id, string text, CancellationToken ct)
        => (await SendAsync(HttpMethod.Post, $"{Repo}/pullrequests/{id}/threads?{ApiVersion}",
            new { comments = new[] { new { parentCommentId = 0, content = text, commentType = 1 } }, status = 1 }, ct)).GetProperty("id").GetInt32();

    public async Task<int> CreateWorkItemAsync(string title, CancellationToken ct)
    {
        var patch = new object[] { new { op = "add", path = "/fields/System.Title", value = title } };
        var answer = await SendAsync(HttpMethod.Post, $"{organizationUrl}/{Uri.EscapeDataString(project)}/_apis/wit/workitems/$Task?{ApiVersion}", patch, ct, "application/json-patch+json");
        return answer.GetProperty("id").GetInt32();
    }

    public Task UpdateWorkItemAsync(int id, string title, CancellationToken ct)
        => SendAsync(HttpMethod.Patch, $"{organizationUrl}/_apis/wit/workitems/{id.ToString(CultureInfo.InvariantCulture)}?{ApiVersion}",
            new object[] { new { op = "add", path = "/fields/System.Title", value = title } }, ct, "application/json-patch+json");

    public Task CommentOnWorkItemAsync(int id, string text, CancellationToken ct)
        => SendAsync(HttpMethod.Post, $"{organizationUrl}/{Uri.EscapeDataString(project)}/_apis/wit/workitems/{id.ToString(CultureInfo.InvariantCulture)}/comments?api-version=7.1-preview.4",
            new { text }, ct);

    public Task DeleteWorkItemAsync(int id, CancellationToken ct)
        => SendAsync(HttpMethod.Delete, $"{organizationUrl}/{Uri.EscapeDataString(project)}/_apis/wit/workitems/{id.ToString(CultureInfo.InvariantCulture)}?{ApiVersion}", null, ct);

    private async Task<JsonElement> SendAsync(HttpMethod method, string url, object? body, CancellationToken ct, string mediaType = "application/json")
    {
        using var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(body, JsonSerializerOptions.Web), Encoding.UTF8, mediaType);
        }

        using var response = await http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new SandboxTriggerException($"The emulator refused {method} {new Uri(url).AbsolutePath}: {(int)response.StatusCode} {Shorten(text)}");
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return default;
        }

        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";

    public void Dispose() => http.Dispose();
}

/// <summary>The emulator refused a step of a trigger; the message says which (it never holds the PAT).</summary>
internal sealed class SandboxTriggerException(string message) : Exception(message);
