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
        Check(reader);
        return JsonElement.ParseValue(ref reader);
    }

    public override void Write(Utf8JsonWriter writer, JsonElement value, JsonSerializerOptions options) => value.WriteTo(writer);

    // Walks a copy of the reader over this value. The reader already refuses invalid UTF-8, so only escaped text can hold an
    // unpaired surrogate: just those strings are decoded, and nothing is allocated for the rest.
    private static void Check(Utf8JsonReader reader)
    {
        var depth = reader.CurrentDepth;
        do
        {
            if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
            {
                try
                {
                    _ = reader.GetString();
                }
                catch (InvalidOperationException)
                {
                    throw new JsonException(InvalidUnicode);
                }
            }
        }
        while (reader.Read() && reader.CurrentDepth > depth);
    }
}
