using System.Net.Http.Json;
using System.Text.RegularExpressions;
using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.Cli;

/// <summary>`adobridge connect`: prints the link, waits while the user goes through the (emulated) Microsoft sign-in, ends active.</summary>
public sealed partial class ConnectCommandTests(SandboxServerFixture fixture) : IClassFixture<SandboxServerFixture>
{
    private AdoBridgeServer Server => fixture.Server;

    [Fact]
    public async Task Connect_WaitsUntilTheUserHasConnected_ThenPrintsTheActiveConnection()
    {
        using var process = Server.Cli().Start(["connect", "--end-user", "cli-connect-user", "--poll-interval", "00:00:00.2"]);
        var stdout = process.StandardOutput.ReadToEndAsync();
        string? url = null;
        while (url is null && await process.StandardError.ReadLineAsync() is { } line)
        {
            url = LinkLine().Match(line) is { Success: true } match ? match.Groups[1].Value : null;
        }

        url.ShouldNotBeNull("connect printed no link");
        var stderrRest = process.StandardError.ReadToEndAsync();
        process.HasExited.ShouldBeFalse("connect must wait for the user");

        using var user = new BrowserlessUser();
        await user.SignInAsync(url, "alice@fabrikam.onmicrosoft.com");
        (await user.GetAsync(user.Location(url))).StatusCode.ShouldBe(System.Net.HttpStatusCode.OK, user.LastBody);
        await user.PostFormAsync(url + "/organizations", [new("organizations", "fabrikam")]);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        var stderr = await stderrRest;
        process.ExitCode.ShouldBe(0, stderr);
        var connection = new CliResult(0, await stdout, stderr).Json();
        connection.GetProperty("status").GetString().ShouldBe("active");
        connection.GetProperty("endUserId").GetString().ShouldBe("cli-connect-user");
        stderr.ShouldContain("Connected: " + connection.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Connect_UserDeclinesConsent_EndsWithTheReasonAndExit1()
    {
        using var api = Server.Client();
        var clientId = (await (await api.GetAsync("/v1/admin/apps/sandbox")).ShouldBeJsonAsync()).GetProperty("clientId").GetString();
        using (var emulator = await Server.EmulatorAdminAsync())
        {
            await emulator.PostAsJsonAsync("consents/remove", new { userPrincipalName = "carol@contoso.onmicrosoft.com", clientId });
        }

        using var process = Server.Cli().Start(["connect", "--end-user", "cli-decliner", "--poll-interval", "00:00:00.2"]);
        var stdout = process.StandardOutput.ReadToEndAsync();
        string? url = null;
        while (url is null && await process.StandardError.ReadLineAsync() is { } line)
        {
            url = LinkLine().Match(line) is { Success: true } match ? match.Groups[1].Value : null;
        }

        url.ShouldNotBeNull("connect printed no link");
        var stderrRest = process.StandardError.ReadToEndAsync();
        using var user = new BrowserlessUser();
        await user.SignInAsync(url, "carol@contoso.onmicrosoft.com", acceptConsent: false);
        user.LastBody.ShouldContain("You declined access");

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        var stderr = await stderrRest;
        process.ExitCode.ShouldBe(1, stderr);
        stderr.ShouldContain("consent_declined");
        stderr.ShouldContain("cli-decliner declined consent");
        (await stdout).ShouldBeEmpty();
    }

    [Fact]
    public async Task ConnectNoWait_PrintsTheSession()
    {
        var session = (await Server.Cli().RunAsync("connect", "--end-user", "cli-nowait-user", "--no-wait", "-o", "json")).ShouldExit(0).Json();
        session.GetProperty("id").GetString().ShouldNotBeNullOrEmpty();
        session.GetProperty("url").GetString()!.ShouldStartWith(new Uri(Server.BaseUrl, "/connect/").AbsoluteUri);
        session.TryGetProperty("expiresAt", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task Connect_UnknownApp_ExitsWithTheServersCode()
    {
        var result = await Server.Cli().RunAsync("connect", "--end-user", "cli-bad-app-user", "--app", "no-such-app");
        result.ExitCode.ShouldNotBe(0);
        result.Stderr.ShouldContain("error: ");
        result.Stderr.ShouldContain("app");
    }

    [GeneratedRegex(@"^Connect link for .+: (http\S+)$")]
    private static partial Regex LinkLine();
}
