using System.Globalization;
using System.Net;

namespace AdoBridge.Webhooks.Delivery;

/// <summary>Reads a URL's host the way a connection would: literal addresses in every textual form, and `localhost` names.</summary>
internal static class DestinationHost
{
    /// <summary>Lower case, without IPv6 brackets or the trailing dots of a fully qualified name.</summary>
    public static string Normalize(string host)
    {
        host = host.Trim();
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }

        return host.TrimEnd('.').ToLowerInvariant();
    }

    /// <summary>`localhost` and its subdomains always mean this machine (RFC 6761), whatever DNS says.</summary>
    public static bool IsLocalhostName(string host) => host == "localhost" || host.EndsWith(".localhost", StringComparison.Ordinal);

    /// <summary>
    /// The address a literal host stands for, or null for a name. Accepts what resolvers accept, so none of them slips through
    /// as a "name": dotted IPv4 with one to four parts in decimal, hex (0x) or octal (leading 0) (`127.1`, `2130706433`,
    /// `0x7f000001`, `0177.0.0.1`), and IPv6 in any form, with or without a zone id (`fe80::1%eth0`).
    /// </summary>
    public static IPAddress? Literal(string host)
    {
        if (host.Contains(':', StringComparison.Ordinal))
        {
            var zone = host.IndexOf('%', StringComparison.Ordinal);
            var bare = zone < 0 ? host : host[..zone];
            return IPAddress.TryParse(bare, out var v6) ? v6 : null;
        }

        return ParseIPv4(host);
    }

    /// <summary>inet_aton's grammar: `a`, `a.b`, `a.b.c` or `a.b.c.d`, each part decimal, 0x-hex or 0-octal, the last filling the rest.</summary>
    private static IPAddress? ParseIPv4(string host)
    {
        var parts = host.Split('.');
        if (parts.Length is < 1 or > 4)
        {
            return null;
        }

        var values = new ulong[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (ParsePart(parts[i]) is not { } value)
            {
                return null;
            }

            values[i] = value;
        }

        ulong address = 0;
        for (var i = 0; i < values.Length - 1; i++)
        {
            if (values[i] > 255)
            {
                return null;
            }

            address |= values[i] << (8 * (3 - i));
        }

        var last = values[^1];
        var room = 8 * (5 - values.Length);
        if (last >= 1UL << room)
        {
            return null;
        }

        address |= last;
        return new IPAddress(new[] { (byte)(address >> 24), (byte)(address >> 16), (byte)(address >> 8), (byte)address });
    }

    private static ulong? ParsePart(string part)
    {
        if (part.Length == 0 || part.Length > 34)
        {
            return null;
        }

        if (part.StartsWith("0x", StringComparison.Ordinal))
        {
            return part.Length == 2 ? 0 : ulong.TryParse(part.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex) ? hex : null;
        }

        if (part.Length > 1 && part[0] == '0')
        {
            ulong octal = 0;
            foreach (var c in part.AsSpan(1))
            {
                if (c is < '0' or > '7' || octal > uint.MaxValue)
                {
                    return null;
                }

                octal = octal * 8 + (ulong)(c - '0');
            }

            return octal;
        }

        return part.All(char.IsAsciiDigit) && ulong.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var dec) ? dec : null;
    }
}
