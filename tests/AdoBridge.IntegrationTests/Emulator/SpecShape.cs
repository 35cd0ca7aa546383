using System.Text.Json;

namespace AdoBridge.IntegrationTests.Emulator;

/// <summary>Compares an emulator answer with a response body from Microsoft's REST API specifications
/// (MicrosoftDocs/vsts-rest-api-specs, copied under SpecExamples/ with their source path and commit): every field the
/// example has must be there with the same JSON kind (a string enum stays a string, a count stays a number), objects
/// compared field by field and arrays by their first element. Fields whose keys are data (work-item field names,
/// identity properties, transitions) are named as opaque: they must exist with the same kind, their keys are not compared.</summary>
internal static class SpecShape
{
    public static JsonElement Example(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "SpecExamples", name + ".json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.GetProperty("body").Clone();
    }

    /// <summary>The differences between the example and the answer, as JSON paths with what was expected; empty when the shapes agree.</summary>
    public static List<string> Differences(JsonElement example, JsonElement actual, params string[] opaque)
    {
        var found = new List<string>();
        Compare("$", example, actual, opaque, found);
        return found;
    }

    private static void Compare(string path, JsonElement example, JsonElement actual, string[] opaque, List<string> found)
    {
        if (example.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (Kind(example.ValueKind) != Kind(actual.ValueKind))
        {
            found.Add($"{path}: expected {example.ValueKind}, got {actual.ValueKind}");
            return;
        }

        if (opaque.Contains(path, StringComparer.Ordinal))
        {
            return;
        }

        if (example.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in example.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.Null)
                {
                    continue;
                }

                if (!actual.TryGetProperty(property.Name, out var value))
                {
                    found.Add($"{path}.{property.Name}: missing");
                    continue;
                }

                Compare($"{path}.{property.Name}", property.Value, value, opaque, found);
            }
        }
        else if (example.ValueKind == JsonValueKind.Array && example.GetArrayLength() > 0 && actual.GetArrayLength() > 0)
        {
            Compare(path + "[]", example[0], actual[0], opaque, found);
        }
    }

    private static string Kind(JsonValueKind kind) => kind is JsonValueKind.True or JsonValueKind.False ? "bool" : kind.ToString();
}
