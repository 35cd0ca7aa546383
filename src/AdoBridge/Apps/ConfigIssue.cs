namespace AdoBridge.Apps;

/// <summary>One finding about an app's settings: the field, what is wrong, and how to fix it.</summary>
internal sealed record ConfigIssue(string Field, string Code, string Message, string Fix, bool IsError)
{
    public static ConfigIssue Error(string field, string code, string message, string fix) => new(field, code, message, fix, true);

    public static ConfigIssue Warning(string field, string code, string message, string fix) => new(field, code, message, fix, false);

    public override string ToString() => $"{Field}: {Message} Fix: {Fix}";
}
