namespace AdoBridge.Bench;

internal static class Args
{
    public static string? Get(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    public static int GetInt(string[] args, string name, int fallback)
        => int.TryParse(Get(args, name), System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : fallback;

    /// <summary>
    /// `--env NAME=VALUE` (repeatable): environment variables for AdoBridge only, e.g. to try a runtime setting; and
    /// `--telemetry` (optionally `--telemetry-sample 0.1`): telemetry on, exported to an OTLP sink in this process.
    /// </summary>
    public static Dictionary<string, string> Environment(string[] args)
    {
        var settings = args.Contains("--telemetry")
            ? TelemetrySink.Environment(double.Parse(Get(args, "--telemetry-sample") ?? "0.1", System.Globalization.CultureInfo.InvariantCulture))
            : [];
        foreach (var kv in args.Select((a, i) => (a, i)).Where(p => p.a == "--env" && p.i + 1 < args.Length).Select(p => args[p.i + 1].Split('=', 2)))
        {
            settings[kv[0]] = kv.Length > 1 ? kv[1] : string.Empty;
        }

        return settings;
    }

    /// <summary>AdoBridge's storage settings for `--postgres CONNSTR` (SQLite when absent), plus `--env` values.</summary>
    public static Dictionary<string, string> Server(string[] args)
    {
        var settings = Environment(args);
        if (Get(args, "--postgres") is { } postgres)
        {
            settings["Storage__Provider"] = "postgres";
            settings["Storage__ConnectionString"] = FreshDatabase(postgres);
        }

        return settings;
    }

    /// <summary>
    /// A new, empty database on the given server for this run (named adobridge_bench_…), so that no earlier run's rows
    /// or keys (sealed with another run's master key) are in the way; returns its connection string.
    /// </summary>
    public static string FreshDatabase(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        var name = "adobridge_bench_" + Guid.NewGuid().ToString("N")[..12];
        using (var connection = new Npgsql.NpgsqlConnection(builder.ConnectionString))
        {
            connection.Open();
            using var create = connection.CreateCommand();
            create.CommandText = $"CREATE DATABASE {name}";
            create.ExecuteNonQuery();
        }

        builder.Database = name;
        return builder.ConnectionString;
    }
}
