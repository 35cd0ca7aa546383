using System.Net;
using System.Text.RegularExpressions;
using AdoBridge.Operations;

namespace AdoBridge.IntegrationTests.AdminConsole;

/// <summary>A browser stand-in for the console: its own cookie jar, no automatic redirects, and the antiforgery token of the last page read.</summary>
public sealed partial class ConsoleSession : IDisposable
{
    public const string OwnerName = "owner@example.com";
    public const string OwnerPassword = "correct horse battery staple";

    private readonly HttpClient client;

    public ConsoleSession(Uri baseUrl, CookieContainer? cookies = null)
    {
        Cookies = cookies ?? new CookieContainer();
        client = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false }) { BaseAddress = baseUrl };
    }

    public CookieContainer Cookies { get; }

    public HttpClient Http => client;

    public string? Token { get; private set; }

    public static string SetupToken(Infrastructure.AdoBridgeServer server)
        => server.Service<StartupTasks>().Report.ConsoleSetupToken ?? throw new InvalidOperationException("No setup link was issued.");

    public async Task<HttpResponseMessage> GetAsync(string path)
    {
        var response = await client.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();
        if (TokenField().Match(html) is { Success: true } match)
        {
            Token = WebUtility.HtmlDecode(match.Groups[1].Value);
        }

        return response;
    }

    public Task<HttpResponseMessage> PostAsync(string path, Dictionary<string, string> fields, bool withToken = true)
    {
        if (withToken && Token is not null)
        {
            fields["__RequestVerificationToken"] = Token;
        }

        return client.PostAsync(path, new FormUrlEncodedContent(fields));
    }

    /// <summary>Creates the owner through the setup link (which signs it in).</summary>
    public async Task<HttpResponseMessage> SetUpOwnerAsync(string setupToken)
    {
        (await GetAsync("/console/setup/" + setupToken)).StatusCode.ShouldBe(HttpStatusCode.OK);
        return await PostAsync("/console/setup/" + setupToken, new() { ["userName"] = OwnerName, ["password"] = OwnerPassword, ["confirmation"] = OwnerPassword });
    }

    public Task<HttpResponseMessage> SignInAsync(string password) => SignInAsync(OwnerName, password);

    public async Task<HttpResponseMessage> SignInAsync(string userName, string password)
    {
        await GetAsync("/console/sign-in");
        return await PostAsync("/console/sign-in", new() { ["userName"] = userName, ["password"] = password });
    }

    /// <summary>Reads a page (keeping its antiforgery token) and returns its status and HTML.</summary>
    public async Task<(HttpStatusCode Status, string Html)> PageAsync(string path)
    {
        using var response = await GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Adds a console account with a role (and environment) straight to the database, as an owner would once accounts can be managed.</summary>
    public static async Task AddAccountAsync(Infrastructure.AdoBridgeServer server, string userName, string role, string? environment)
    {
        var contexts = server.Service<Microsoft.EntityFrameworkCore.IDbContextFactory<AdoBridge.Storage.AdoBridgeDbContext>>();
        await using var db = await contexts.CreateDbContextAsync();
        var user = new AdoBridge.Storage.ConsoleUserEntity { Id = "cusr_" + Guid.NewGuid().ToString("N"), UserName = userName, PasswordHash = string.Empty, Role = role, EnvironmentId = environment, CreatedAt = DateTimeOffset.UtcNow };
        user.PasswordHash = new Microsoft.AspNetCore.Identity.PasswordHasher<AdoBridge.Storage.ConsoleUserEntity>().HashPassword(user, OwnerPassword);
        db.ConsoleUsers.Add(user);
        await db.SaveChangesAsync();
    }

    public void Dispose() => client.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
