using System.Text.Json;

namespace AdoBridge.IntegrationTests.Cli;

/// <summary>Compares the CLI's JSON with the API's answer for the same thing: same members, same values, in any order.</summary>
public static class JsonShape
{
    public static void ShouldMatchApi(this JsonElement cli, JsonElement api, string path = "$")
    {
        cli.ValueKind.ShouldBe(api.ValueKind, $"{path}: the CLI wrote {cli.ValueKind}, the API {api.ValueKind}");
        switch (api.ValueKind)
        {
            case JsonValueKind.Object:
                cli.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ShouldBe(api.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal), $"{path}: members differ");
                foreach (var member in api.EnumerateObject())
                {
                    cli.GetProperty(member.Name).ShouldMatchApi(member.Value, path + "." + member.Name);
                }

                break;
            case JsonValueKind.Array:
                cli.GetArrayLength().ShouldBe(api.GetArrayLength(), $"{path}: lengths differ");
                for (var i = 0; i < api.GetArrayLength(); i++)
                {
                    cli[i].ShouldMatchApi(api[i], $"{path}[{i}]");
                }

                break;
            case JsonValueKind.String when DateTimeOffset.TryParse(api.GetString(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var time) && api.GetString()!.Contains('T', StringComparison.Ordinal):
                DateTimeOffset.Parse(cli.GetString()!, System.Globalization.CultureInfo.InvariantCulture).ShouldBe(time, path);
                break;
            case JsonValueKind.String:
                cli.GetString().ShouldBe(api.GetString(), path);
                break;
            default:
                cli.GetRawText().ShouldBe(api.GetRawText(), path);
                break;
        }
    }
}
