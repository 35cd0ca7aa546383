using System.Text.RegularExpressions;
using AdoBridge.Operations;
using NetArchTest.Rules;

namespace AdoBridge.UnitTests.Architecture;

/// <summary>
/// The capability folders of src/AdoBridge depend downwards only. The order is written here once (and drawn in the README's
/// map); a type that uses anything in a folder above its own fails the test, named with the dependency it has.
/// </summary>
public sealed class LayeringTests
{
    /// <summary>Bottom to top. A folder may use its own layer and any layer below it; folders on one line are peers that do not use each other.</summary>
    private static readonly string[][] Layers =
    [
        ["Problems"],
        ["Hosting"],
        ["Storage"],
        ["Telemetry"],
        ["Security"],
        ["Environments"],
        ["ApiKeys"],
        ["RateLimiting"],
        ["Apps"],
        ["AzureDevOps"],
        ["Events"],
        ["Apps.Checks"],
        ["Tokens"],
        ["Connections"],
        ["ConnectSessions"],
        ["Connect"],
        ["Proxy"],
        ["Actions"],
        ["Webhooks"],
        ["Mcp"],
        ["Sandbox"],
        ["AdminConsole"],
        ["Operations"],
        ["Cli"],
    ];

    private static readonly System.Reflection.Assembly Server = typeof(AdoBridgeApp).Assembly;

    private static readonly string[] Namespaces = Server.GetTypes().Select(t => t.Namespace).OfType<string>()
        .Where(n => n.StartsWith("AdoBridge.", StringComparison.Ordinal)).Distinct().ToArray();

    [Fact]
    public void EveryFolder_HasAPlaceInTheLayering()
    {
        var unplaced = Namespaces.Where(n => FolderOf(n) is null).ToList();
        Assert.True(unplaced.Count == 0, "Add these namespaces to LayeringTests.Layers (and the README's map): " + string.Join(", ", unplaced));
    }

    [Fact]
    public void Folders_DependOnlyOnFoldersBelowThem()
    {
        var failures = new List<string>();
        for (var layer = 0; layer < Layers.Length; layer++)
        {
            foreach (var folder in Layers[layer])
            {
                var own = Namespaces.Where(n => FolderOf(n) == folder).ToArray();
                // Everything in a higher layer, and the peers on the same line.
                var forbidden = Namespaces.Where(n => FolderOf(n) is { } other && other != folder && LayerOf(other) >= layer).ToArray();
                if (own.Length == 0 || forbidden.Length == 0)
                {
                    continue;
                }

                var result = Types.InAssembly(Server).That().ResideInNamespaceMatching("^(" + string.Join("|", own.Select(Regex.Escape)) + ")$")
                    .Should().NotHaveDependencyOnAny(forbidden).GetResult();
                failures.AddRange((result.FailingTypes ?? []).Select(t => $"{t.FullName} (in {folder}) uses a folder that is not below it. {t.Explanation}"));
            }
        }

        Assert.True(failures.Count == 0, "Folders must depend only on folders below them (LayeringTests.Layers):" + Environment.NewLine + string.Join(Environment.NewLine, failures));
    }

    /// <summary>
    /// The same rule over the source text, for what compiled code does not show: a constant from a folder above is copied
    /// into the caller's IL, so only its `using` or qualified name in the source gives the dependency away.
    /// </summary>
    [Fact]
    public void Sources_NameOnlyFoldersBelowThem()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "AdoBridge.slnx")))
        {
            root = root.Parent;
        }

        Assert.NotNull(root);
        var src = Path.Combine(root.FullName, "src", "AdoBridge");
        var failures = new List<string>();
        foreach (var file in Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            var text = File.ReadAllText(file);
            if (Regex.Match(text, @"^namespace (AdoBridge\.[\w.]+);", RegexOptions.Multiline) is not { Success: true } declared
                || FolderOf(declared.Groups[1].Value) is not { } folder)
            {
                continue;
            }

            foreach (Match named in Regex.Matches(text, @"(?<!"")\bAdoBridge(\.[A-Z]\w*)+"))
            {
                var target = Namespaces.Where(n => named.Value == n || named.Value.StartsWith(n + ".", StringComparison.Ordinal)).MaxBy(n => n.Length);
                if (target is not null && FolderOf(target) is { } other && other != folder && LayerOf(other) >= LayerOf(folder))
                {
                    failures.Add($"{Path.GetRelativePath(src, file)} (in {folder}) names {named.Value}, which is not below it.");
                }
            }
        }

        Assert.True(failures.Count == 0, "Source files must name only folders below their own (LayeringTests.Layers):" + Environment.NewLine + string.Join(Environment.NewLine, failures.Distinct()));
    }

    /// <summary>The most specific layering entry a namespace falls under: AdoBridge.Apps.Checks is in "Apps.Checks", AdoBridge.Webhooks.Ingest in "Webhooks".</summary>
    private static string? FolderOf(string ns) => Layers.SelectMany(l => l)
        .Where(f => ns == "AdoBridge." + f || ns.StartsWith("AdoBridge." + f + ".", StringComparison.Ordinal))
        .MaxBy(f => f.Length);

    private static int LayerOf(string folder) => Array.FindIndex(Layers, l => l.Contains(folder));
}
