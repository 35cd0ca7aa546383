using System.Globalization;
using System.Text.Json;
using Spectre.Console;

namespace AdoBridge.Cli.Output;

/// <summary>The columns a list is shown with as a table: a header and the JSON member it shows.</summary>
internal sealed class TableView(params (string Header, string Member)[] columns)
{
    /// <summary>A table of <paramref name="items"/> (a JSON array of objects).</summary>
    public Table Render(JsonElement items)
    {
        var table = new Table().Border(TableBorder.Simple);
        foreach (var (header, _) in columns)
        {
            table.AddColumn(new TableColumn(header).NoWrap());
        }

        foreach (var item in items.EnumerateArray())
        {
            table.AddRow(columns.Select(c => new Text(Cell(item, c.Member))).ToArray<Spectre.Console.Rendering.IRenderable>());
        }

        return table;
    }

    /// <summary>One object as a two-column grid of its members; nested values shown as compact JSON.</summary>
    public static Grid Details(JsonElement value)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap().PadRight(2)).AddColumn();
        foreach (var member in value.EnumerateObject())
        {
            grid.AddRow(new Text(member.Name), new Text(Format(member.Value)));
        }

        return grid;
    }

    public static string Cell(JsonElement item, string member)
    {
        var value = item;
        foreach (var part in member.Split('.'))
        {
            if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(part, out value))
            {
                return string.Empty;
            }
        }

        return Format(value);
    }

    public static string Format(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => string.Empty,
        JsonValueKind.String when value.GetString() is { Length: >= 20 } s && s[10] == 'T'
            && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Array when value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String)
            => string.Join(", ", value.EnumerateArray().Select(e => e.GetString())),
        _ => JsonText.Write(value, indented: false),
    };
}
