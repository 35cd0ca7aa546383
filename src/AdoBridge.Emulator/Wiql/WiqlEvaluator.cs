using System.Globalization;

namespace AdoBridge.Emulator;

/// <summary>Evaluates a parsed query against work items, comparing by field type: numbers numerically, dates by day
/// (the default without timePrecision), identities by display name, unique name or @me, text case-insensitively.</summary>
internal sealed class WiqlEvaluator(EmulatorData data, EmulatorUser? me, string? project, DateTimeOffset now)
{
    public bool Matches(WiqlCondition condition, WorkItemData item) => condition switch
    {
        WiqlAnd and => Matches(and.Left, item) && Matches(and.Right, item),
        WiqlOr or => Matches(or.Left, item) || Matches(or.Right, item),
        WiqlNot not => !Matches(not.Inner, item),
        WiqlComparison c => Compare(c, item),
        _ => false,
    };

    /// <summary>A link query's condition for one end: comparisons of the other end and link types count as met.</summary>
    public bool MatchesEnd(WiqlCondition condition, WorkItemData item, string end) => condition switch
    {
        WiqlAnd and => MatchesEnd(and.Left, item, end) && MatchesEnd(and.Right, item, end),
        WiqlOr or => MatchesEnd(or.Left, item, end) || MatchesEnd(or.Right, item, end),
        WiqlNot not => !Mentions(not.Inner, end) || !MatchesEnd(not.Inner, item, end),
        WiqlComparison c => (c.Scope ?? "Source") != end || Compare(c, item),
        _ => true,
    };

    /// <summary>A link query's condition on the link type: every other comparison counts as met.</summary>
    public static bool MatchesLink(WiqlCondition condition, string linkType) => condition switch
    {
        WiqlAnd and => MatchesLink(and.Left, linkType) && MatchesLink(and.Right, linkType),
        WiqlOr or => MatchesLink(or.Left, linkType) || MatchesLink(or.Right, linkType),
        WiqlNot not => !MentionsLink(not.Inner) || !MatchesLink(not.Inner, linkType),
        WiqlLinkType l => l.Operator == "<>"
            ? !l.Values.Contains(linkType, StringComparer.OrdinalIgnoreCase)
            : l.Values.Contains(linkType, StringComparer.OrdinalIgnoreCase),
        _ => true,
    };

    private static bool Mentions(WiqlCondition condition, string end) => condition switch
    {
        WiqlAnd and => Mentions(and.Left, end) || Mentions(and.Right, end),
        WiqlOr or => Mentions(or.Left, end) || Mentions(or.Right, end),
        WiqlNot not => Mentions(not.Inner, end),
        WiqlComparison c => (c.Scope ?? "Source") == end,
        _ => false,
    };

    private static bool MentionsLink(WiqlCondition condition) => condition switch
    {
        WiqlAnd and => MentionsLink(and.Left) || MentionsLink(and.Right),
        WiqlOr or => MentionsLink(or.Left) || MentionsLink(or.Right),
        WiqlNot not => MentionsLink(not.Inner),
        WiqlLinkType => true,
        _ => false,
    };

    public static int CompareForSort(WorkItemField field, WorkItemData a, WorkItemData b)
    {
        var x = FieldText(field, a);
        var y = FieldText(field, b);
        return field.Type switch
        {
            "integer" or "double" => Number(x).CompareTo(Number(y)),
            "dateTime" => Date(x).CompareTo(Date(y)),
            _ => string.Compare(x, y, StringComparison.OrdinalIgnoreCase),
        };
    }

    private bool Compare(WiqlComparison c, WorkItemData item)
    {
        var actual = FieldText(c.Field, item);
        var values = c.Values.Select(v => Resolve(v, item)).ToArray();
        return c.Operator switch
        {
            "IN" => values.Any(v => Equal(c.Field, actual, v)),
            "CONTAINS" or "CONTAINS WORDS" => (actual ?? string.Empty).Contains(values[0] ?? string.Empty, StringComparison.OrdinalIgnoreCase),
            "UNDER" => actual is not null && values[0] is { } root && (actual.Equals(root, StringComparison.OrdinalIgnoreCase) || actual.StartsWith(root + "\\", StringComparison.OrdinalIgnoreCase)),
            "=" => Equal(c.Field, actual, values[0]),
            "<>" => !Equal(c.Field, actual, values[0]),
            _ => Order(c.Operator, Ordering(c.Field, actual, values[0])),
        };
    }

    private static bool Order(string op, int? comparison) => comparison is { } n && op switch
    {
        ">" => n > 0,
        "<" => n < 0,
        ">=" => n >= 0,
        "<=" => n <= 0,
        _ => false,
    };

    private bool Equal(WorkItemField field, string? actual, string? expected)
    {
        if (field.Type == "identity")
        {
            var user = WorkItemFields.ResolveIdentity(data, actual);
            return string.IsNullOrEmpty(expected)
                ? string.IsNullOrEmpty(actual)
                : user is not null && (string.Equals(expected, user.DisplayName, StringComparison.OrdinalIgnoreCase) || string.Equals(expected, user.UserPrincipalName, StringComparison.OrdinalIgnoreCase) || string.Equals(expected, WorkItemFields.IdentityText(user), StringComparison.OrdinalIgnoreCase));
        }

        return Ordering(field, actual, expected) == 0;
    }

    private static int? Ordering(WorkItemField field, string? actual, string? expected)
    {
        switch (field.Type)
        {
            case "integer" or "double":
                return actual is null || expected is null ? null : Number(actual).CompareTo(Number(expected));
            case "dateTime":
                return actual is null || expected is null ? null : Date(actual).CompareTo(Date(expected));
            default:
                return string.Compare(actual ?? string.Empty, expected ?? string.Empty, StringComparison.OrdinalIgnoreCase);
        }
    }

    private string? Resolve(WiqlValue value, WorkItemData item)
    {
        if (value.Field is { } other)
        {
            return FieldText(other, item);
        }

        return value.Macro switch
        {
            null => value.Literal,
            "@me" => me is null ? string.Empty : WorkItemFields.IdentityText(me),
            "@project" => project ?? throw new WiqlException("TF51011: The @project macro can only be used in the context of a project. The error is caused by «@project»."),
            "@today" => DevOpsJson.IsoText(new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddDays(value.Offset)),
            _ => throw new WiqlException($"TF51006: The macro is not supported by the emulator. The error is caused by «{value.Macro}»."),
        };
    }

    private static string? FieldText(WorkItemField field, WorkItemData item) => DevOpsJson.Text(item.Fields[field.ReferenceName]);

    private static double Number(string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : double.NaN;

    private static DateTime Date(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d) ? d.UtcDateTime.Date : DateTime.MinValue;
}
