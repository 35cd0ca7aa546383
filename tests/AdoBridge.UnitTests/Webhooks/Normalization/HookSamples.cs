using System.Text.Json;
using System.Text.Json.Nodes;
using AdoBridge.Webhooks.Normalization;

namespace AdoBridge.UnitTests.Webhooks.Normalization;

/// <summary>Microsoft's published service-hook samples (Webhooks/Samples, copied to the output) and helpers to normalise them.</summary>
internal static class HookSamples
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Webhooks", "Samples");

    public static IEnumerable<string> Names => System.IO.Directory.EnumerateFiles(Directory, "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    public static string Text(string name) => File.ReadAllText(Path.Combine(Directory, name));

    /// <summary>A sample as a mutable node, for tests that change one thing in it.</summary>
    public static JsonObject Node(string name) => JsonNode.Parse(Text(name))!.AsObject();

    /// <summary>Normalises JSON text, failing the test with the normaliser's error when it refuses.</summary>
    public static NormalizedEvent Normalize(string json)
    {
        using var document = JsonDocument.Parse(json);
        ServiceHookNormalizer.TryNormalize(document.RootElement, out var result, out var error).ShouldBeTrue(error);
        error.ShouldBeNull();
        return result!;
    }

    public static NormalizedEvent Normalize(JsonNode json) => Normalize(json.ToJsonString());

    public static NormalizedEvent NormalizeSample(string name) => Normalize(Text(name));

    /// <summary>The refusal for JSON text; fails the test if it is accepted.</summary>
    public static string Refuse(string json)
    {
        using var document = JsonDocument.Parse(json);
        ServiceHookNormalizer.TryNormalize(document.RootElement, out var result, out var error).ShouldBeFalse();
        result.ShouldBeNull();
        error.ShouldNotBeNullOrWhiteSpace();
        return error!;
    }

    public static string? Str(this JsonObject data, string path)
    {
        JsonNode? node = data;
        foreach (var part in path.Split('.'))
        {
            node = node is JsonObject o ? o[part] : node is JsonArray a && int.TryParse(part, out var i) && i < a.Count ? a[i] : null;
        }

        return node?.GetValueKind() switch
        {
            null or JsonValueKind.Null => null,
            JsonValueKind.String => node.GetValue<string>(),
            _ => node.ToJsonString(),
        };
    }
}
