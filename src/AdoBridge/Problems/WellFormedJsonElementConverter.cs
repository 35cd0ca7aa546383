using System.Text.Json;
using System.Text.Json.Serialization;

namespace AdoBridge.Problems;

/// <summary>
/// Request bodies that pass JSON through (<see cref="JsonElement"/>: votes, work-item fields, pipeline variables) are checked
/// for text that is not valid Unicode when they are read: a JSON escape such as `\ud800` parses, but fails later when the text
/// is used, which would be a 500 instead of a 400 naming the field.
/// </summary>
internal sealed class WellFormedJsonElementConverter : JsonConverter<JsonElement>
{
    public const string InvalidUnicode = "AdoBridge:invalid-unicode";

    public override JsonElement Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var element = JsonElement.ParseValue(ref reader);
        Check(element);
        return element;
    }

    public override void Write(Utf8JsonWriter writer, JsonElement value, JsonSerializerOptions options) => value.WriteTo(writer);

    private static void Check(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                Text(element);
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Check(item);
                }

                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    try
                    {
                        _ = property.Name;
                    }
                    catch (InvalidOperationException)
                    {
                        throw new JsonException(InvalidUnicode);
                    }

                    Check(property.Value);
                }

                break;
        }
    }

    private static void Text(JsonElement element)
    {
        try
        {
            _ = element.GetString();
        }
        catch (InvalidOperationException)
        {
            throw new JsonException(InvalidUnicode);
        }
    }
}
