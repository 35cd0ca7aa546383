using System.Globalization;

namespace AdoBridge.AdminConsole;

/// <summary>How console pages write times and ages: UTC, to the minute, the same on every page.</summary>
internal static class ConsoleFormat
{
    public const string Never = "never";

    public static string Time(DateTimeOffset? at, string none = Never)
        => at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : none;

    public static string Age(TimeSpan age) => age.TotalSeconds switch
    {
        < 90 => $"{Math.Max(0, (int)age.TotalSeconds)} s",
        < 5400 => $"{(int)Math.Round(age.TotalMinutes)} min",
        < 172_800 => $"{(int)Math.Round(age.TotalHours)} h",
        _ => $"{(int)Math.Round(age.TotalDays)} days",
    };
}
