using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace AdoBridge.Cli.Output;

/// <summary>
/// JSON to block-style YAML. Strings that could be read as anything else (numbers, booleans, dates, or with YAML's special
/// characters) are written double-quoted with JSON escapes, which YAML reads the same way.
/// </summary>
internal static partial class YamlWriter
{
    public static string Write(JsonElement value)
    {
        var text = new StringBuilder();
        WriteValue(text, value, 0, inList: false);
        if (text.Length == 0 || text[^1] != '\n')
        {
            text.Append('\n');
        }

        return text.ToString();
    }

    private static void WriteValue(StringBuilder text, JsonElement value, int indent, bool inList)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object when value.EnumerateObject().Any():
                var first = true;
                foreach (var member in value.EnumerateObject())
                {
                    // The first member of an object in a list shares the "- " line.
                    if (!(first && inList))
                    {
                        text.Append(' ', indent);
                    }

                    first = false;
                    text.Append(Key(member.Name)).Append(':');
                    WriteNested(text, member.Value, indent);
                }

                break;
            case JsonValueKind.Array when value.GetArrayLength() > 0:
                var firstItem = true;
                foreach (var item in value.EnumerateArray())
                {
                    if (!(firstItem && inList))
                    {
                        text.Append(' ', indent);
                    }

                    firstItem = false;
                    text.Append("- ");
                    if (item.ValueKind is JsonValueKind.Object or JsonValueKind.Array && IsNonEmpty(item))
                    {
                        WriteValue(text, item, indent + 2, inList: true);
                    }
                    else
                    {
                        text.Append(Scalar(item)).Append('\n');
                    }
                }

                break;
            default:
                text.Append(Scalar(value)).Append('\n');
                break;
        }
    }

    private static void WriteNested(StringBuilder text, JsonElement value, int indent)
    {
        if (value.ValueKind is JsonValueKind.Object or JsonValueKind.Array && IsNonEmpty(value))
        {
            text.Append('\n');
            WriteValue(text, value, value.ValueKind == JsonValueKind.Array ? indent : indent + 2, inList: false);
        }
        else
        {
            text.Append(' ').Append(Scalar(value)).Append('\n');
        }
    }

    private static bool IsNonEmpty(JsonElement value)
        => value.ValueKind == JsonValueKind.Object ? value.EnumerateObject().Any() : value.GetArrayLength() > 0;

    private static string Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "{}",
        JsonValueKind.Array => "[]",
        JsonValueKind.Null or JsonValueKind.Undefined => "null",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Number => value.GetRawText(),
        _ => Text(value.GetString()!),
    };

    private static string Key(string name) => Plain().IsMatch(name) ? name : JsonText.Quote(name);

    private static string Text(string value)
        => Plain().IsMatch(value) && !Reserved().IsMatch(value) ? value : JsonText.Quote(value);

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_./@-]*$")]
    private static partial Regex Plain();

    // Words YAML 1.1 or 1.2 readers take as booleans or null.
    [GeneratedRegex(@"^(?i:y|n|yes|no|on|off|true|false|null)$")]
    private static partial Regex Reserved();
}
