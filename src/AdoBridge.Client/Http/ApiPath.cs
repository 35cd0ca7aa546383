using System.Globalization;
using System.Text;

namespace AdoBridge.Client;

/// <summary>Builds relative API paths with escaped segments and query parameters (nulls are left out).</summary>
internal static class ApiPath
{
    public static string Segment(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        return Uri.EscapeDataString(value);
    }

    public static string WithQuery(string path, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        var builder = new StringBuilder(path);
        var separator = '?';
        foreach (var (name, value) in parameters)
        {
            if (value is null)
            {
                continue;
            }

            builder.Append(separator).Append(name).Append('=').Append(Uri.EscapeDataString(Convert.ToString(value, CultureInfo.InvariantCulture)!));
            separator = '&';
        }

        return builder.ToString();
    }
}
