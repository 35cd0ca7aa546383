namespace AdoBridge.BrowserTests.Infrastructure;

/// <summary>
/// The console's main pages as docs/console.md shows them. With ADOBRIDGE_UPDATE_SCREENSHOTS=1 a run of the browser tests
/// copies these screenshots from the test output into docs/screenshots of the repository; otherwise they stay with the
/// test results only, so an ordinary run never changes the checkout.
/// </summary>
public static class DocsScreenshots
{
    public const string Variable = "ADOBRIDGE_UPDATE_SCREENSHOTS";

    /// <summary>The screenshots (by the name the tests give them) that the docs show.</summary>
    public static readonly IReadOnlySet<string> Names = new HashSet<string>(StringComparer.Ordinal)
    {
        "console-overview", "console-connections", "console-connection", "console-setup-guide", "console-app", "console-webhooks", "console-events",
        "console-event", "console-users", "console-sign-in", "console-mcp", "console-mcp-policies", "console-mcp-approvals", "console-mcp-approval", "console-mcp-calls",
    };

    public static bool Enabled => Environment.GetEnvironmentVariable(Variable) == "1";

    /// <summary>Copies a screenshot into docs/screenshots when it is one the docs show and updating is on.</summary>
    public static void Keep(string name, string path)
    {
        if (!Enabled || !Names.Contains(name))
        {
            return;
        }

        var target = Path.Combine(RepositoryRoot(), "docs", "screenshots");
        Directory.CreateDirectory(target);
        File.Copy(path, Path.Combine(target, name + ".png"), overwrite: true);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AdoBridge.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"{Variable}=1, but no AdoBridge.slnx above {AppContext.BaseDirectory}: run the tests from the repository.");
    }
}
