using System.Text.Json;

namespace AdoBridge.Client;

/// <summary>One field AdoBridge refused or warned about: where, what is wrong, and how to fix it.</summary>
/// <param name="Field">The field, e.g. <c>clientSecrets[0].value</c>.</param>
/// <param name="Code">A stable code for the finding, e.g. <c>secret_looks_like_secret_id</c>, when the server gave one.</param>
/// <param name="Message">What is wrong.</param>
/// <param name="Fix">How to fix it, when the server said.</param>
public sealed record ProblemError(string Field, string? Code, string Message, string? Fix)
{
    // Reads AdoBridge's list of {field, code, message, fix}, and also ASP.NET's {field: [messages]} shape, so no detail is lost.
    internal static IReadOnlyList<ProblemError> ListFrom(IReadOnlyDictionary<string, JsonElement> extensions, string name)
    {
        if (!extensions.TryGetValue(name, out var value))
        {
            return [];
        }

        var list = new List<ProblemError>();
        if (value.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in value.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object)
                {
                    list.Add(new ProblemError(Text(item, "field") ?? string.Empty, Text(item, "code"), Text(item, "message") ?? string.Empty, Text(item, "fix")));
                }
                else if (item.ValueKind == JsonValueKind.String)
                {
                    list.Add(new ProblemError(string.Empty, null, item.GetString()!, null));
                }
            }
        }
        else if (value.ValueKind == JsonValueKind.Object)
        {
            foreach (var field in value.EnumerateObject())
            {
                var messages = field.Value.ValueKind == JsonValueKind.Array ? field.Value.EnumerateArray().Select(m => m.ToString()) : [field.Value.ToString()];
                list.AddRange(messages.Select(m => new ProblemError(field.Name, null, m, null)));
            }
        }

        return list;
    }

    private static string? Text(JsonElement item, string name)
        => item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
