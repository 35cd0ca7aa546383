using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace AdoBridge.BrowserTests.Infrastructure;

/// <summary>The console's first owner, as the browser tests create it: through the banner's one-time setup link.</summary>
public static partial class ConsoleOwner
{
    public const string Name = "owner@example.com";
    public const string Password = "correct horse battery staple";

    /// <summary>Opens the setup link, creates the owner and waits for the overview, where setup signs the owner in.</summary>
    public static async Task SetUpAsync(IPage page, AdoBridgeServer server, PageGotoOptions? options = null)
    {
        await page.GotoAsync(server.ConsoleSetupLink!, options);
        await page.GetByLabel("User name").FillAsync(Name);
        await page.GetByLabel("Password (at least").FillAsync(Password);
        await page.GetByLabel("The same password again").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create the owner account" }).ClickAsync();
        await page.WaitForURLAsync(Overview());
    }

    [GeneratedRegex("/console$")]
    private static partial Regex Overview();
}
