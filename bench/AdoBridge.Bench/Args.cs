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
}
