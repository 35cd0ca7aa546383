using System.Net;
using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.AdminConsole;

/// <summary>Two instances on one PostgreSQL database: a console cookie issued by one is accepted by the other (Data Protection keys in the database).</summary>
public sealed class ConsoleCookieAcrossInstancesTests
{
    [Fact]
    public async Task CookieFromOneInstance_IsAcceptedByAnother()
    {
        var settings = new Dictionary<string, string?> { ["Storage:Provider"] = "postgres", ["Storage:ConnectionString"] = await Postgres.CreateDatabaseAsync() };
        // The same data folder: both instances need the same master key, as every instance of one deployment has.
        var dataDir = AdoBridgeServer.NewDataDir();
        await using var first = await AdoBridgeServer.StartAsync(settings, dataDir);
        await using var second = await AdoBridgeServer.StartAsync(settings, dataDir);

        using var atFirst = new ConsoleSession(first.BaseUrl);
        (await atFirst.SetUpOwnerAsync(ConsoleSession.SetupToken(first))).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var cookie = atFirst.Cookies.GetCookies(new Uri(first.BaseUrl, "/console/")).Single(c => c.Name == AdoBridge.AdminConsole.ConsoleAuth.CookieName);

        var jar = new CookieContainer();
        jar.Add(second.BaseUrl, new Cookie(cookie.Name, cookie.Value, "/console"));
        using var atSecond = new ConsoleSession(second.BaseUrl, jar);
        using var page = await atSecond.GetAsync("/console/connections");
        page.StatusCode.ShouldBe(HttpStatusCode.OK, "the second instance reads the key ring the first wrote");
        (await page.Content.ReadAsStringAsync()).ShouldContain(ConsoleSession.OwnerName);

        using var stranger = new ConsoleSession(second.BaseUrl);
        (await stranger.GetAsync("/console/connections")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }
}
