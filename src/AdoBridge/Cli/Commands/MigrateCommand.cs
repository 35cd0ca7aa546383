using System.CommandLine;
using AdoBridge.Cli.Output;
using AdoBridge.Operations;
using AdoBridge.Storage;

namespace AdoBridge.Cli.Commands;

/// <summary>`adobridge migrate`: applies the schema migrations without starting the server, with a progress bar on a terminal.</summary>
internal static class MigrateCommand
{
    public const string Name = "migrate";

    public static Command Create()
    {
        var status = new Option<bool>("--status") { Description = "Only say which schema version the database is at and what is pending." };
        var command = new Command(Name, """
            Brings the database schema up to date (for Storage:MigrateOnStartup=false). Server configuration options
            (--Storage:Provider=postgres, --ConnectionStrings:…) and ADOBRIDGE_CONFIG select the database, as for serve.
            Exits 1 when migrations are still pending afterwards (with --status: when any are pending).
            """)
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.Options.Add(status);
        command.SetAction(async (parse, ct) =>
        {
            var output = new CliOutput(GlobalOptions.FormatOf(parse), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error);
            try
            {
                return await RunAsync(output, parse.UnmatchedTokens.ToArray(), parse.GetValue(status), ct);
            }
            catch (Exception e) when (AdoBridgeApp.IsStartupFailure(e))
            {
                CliErrors.Write(parse.InvocationConfiguration.Error, "configuration_invalid", e.Message, null);
                return ExitCodes.Usage;
            }
        });
        return command.WithExamples(
            "adobridge migrate --status",
            "adobridge migrate --Storage:Provider=postgres --ConnectionStrings:Postgres=\"Host=db;Username=adobridge;Database=adobridge\"");
    }

    private static async Task<int> RunAsync(CliOutput output, string[] args, bool statusOnly, CancellationToken ct)
    {
        await using var app = AdoBridgeApp.BuildWithoutStarting(args);
        var migrator = app.Services.GetRequiredService<SchemaMigrator>();
        if (!statusOnly)
        {
            var before = await migrator.GetStatusAsync(ct);
            var applied = new List<string>();
            await output.ProgressAsync("Migrating", before.Pending.Count,
                step => migrator.MigrateAsync(progress: new Step(name => { applied.Add(name); step("applied " + name); }), ct: ct));
            output.Note(applied.Count == 0 ? "Schema already up to date." : $"Applied migrations {string.Join(", ", applied)}.");
        }

        var after = await migrator.GetStatusAsync(ct);
        await output.Stdout.WriteLineAsync($"Schema version {after.CurrentVersion} of {after.LatestVersion}" + (after.Pending.Count > 0 ? $"; pending: {string.Join(", ", after.Pending)}" : "."));
        return after.IsCurrent ? ExitCodes.Ok : ExitCodes.Error;
    }

    /// <summary>Reports on the migrator's own thread (Progress&lt;T&gt; would post to the thread pool, out of order).</summary>
    private sealed class Step(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
