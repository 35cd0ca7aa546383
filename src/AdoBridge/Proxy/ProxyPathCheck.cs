using System.Text;

namespace AdoBridge.Proxy;

/// <summary>
/// Refuses proxied paths that a server on the way could read differently from AdoBridge: dot segments in any disguise
/// (`..;`, `.;x`, `%2e`, double-encoded `%252e`, IIS `%u002e`, overlong UTF-8 such as `%C0%AE`, fullwidth and other
/// compatibility dots, dots with trailing spaces), backslashes and slashes in any form, control characters and broken
/// escapes. A confined proxy forwards only what it can be sure stays inside the organisation.
/// </summary>
internal static class ProxyPathCheck
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Why the raw (still percent-encoded) path is refused, or null.</summary>
    public static string? Refusal(string rawPath)
    {
        for (int start = 0, end; start <= rawPath.Length; start = end + 1)
        {
            end = rawPath.IndexOf('/', start);
            end = end < 0 ? rawPath.Length : end;
            if (SegmentRefusal(rawPath.AsSpan(start, end - start)) is { } reason)
            {
                return reason;
            }
        }

        return null;
    }

    private static string? SegmentRefusal(ReadOnlySpan<char> raw)
    {
        // The common case, a plain ASCII segment without escapes or parameters, costs one scan.
        var plain = true;
        foreach (var c in raw)
        {
            if (c is '%' or ';' or '\\' or '.' or > '\u007e' or < '\u0021')
            {
                plain = false;
                break;
            }
        }

        if (plain)
        {
            return null;
        }

        if (raw.Contains('\\'))
        {
            return "Backslashes are not allowed in proxied paths.";
        }

        if (Decode(raw) is not { } decoded)
        {
            return "The path has a malformed escape (a '%' not followed by two hex digits, such as IIS's %u002e, or bytes that are not valid UTF-8, such as the overlong %C0%AE); encode it as plain UTF-8.";
        }

        for (var i = 0; i < decoded.Length; i++)
        {
            var c = decoded[i];
            if (char.IsControl(c))
            {
                return "Control characters (%00 to %1F, %7F) are not allowed in proxied paths.";
            }

            if (c is '/' or '\\')
            {
                return "Encoded slashes and backslashes (%2F, %5C) are not allowed in proxied paths.";
            }

            if (c == '%' && i + 1 < decoded.Length && (decoded[i + 1] is 'u' or 'U' || (i + 2 < decoded.Length && char.IsAsciiHexDigit(decoded[i + 1]) && char.IsAsciiHexDigit(decoded[i + 2]))))
            {
                return "Double-encoded characters (such as %252e or %25u002e) are not allowed in proxied paths: encode each character once.";
            }

            if (c > '\u007e' && Compatibility(c) is { } folded)
            {
                return $"'{c}' (U+{(int)c:X4}) looks like and normalises to '{folded}', so it is not allowed in proxied paths.";
            }
        }

        // A parameter (";x") or trailing spaces on a dot segment still make it a dot segment to some servers.
        var name = decoded.AsSpan();
        var semicolon = name.IndexOf(';');
        if (semicolon >= 0)
        {
            name = name[..semicolon];
        }

        if (name.Trim(' ').Length > 0 && name.Trim(" .").Length == 0)
        {
            return "'.' and '..' segments (also encoded, with ';' parameters or spaces) are not allowed in proxied paths.";
        }

        return null;
    }

    /// <summary>Percent-decodes strictly: every '%' starts two hex digits, and the bytes are valid UTF-8 (no overlong forms).</summary>
    private static string? Decode(ReadOnlySpan<char> raw)
    {
        if (!raw.Contains('%'))
        {
            return raw.ToString();
        }

        var bytes = new List<byte>(raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (c != '%')
            {
                if (c > '\u007f')
                {
                    bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
                }
                else
                {
                    bytes.Add((byte)c);
                }

                continue;
            }

            if (i + 2 >= raw.Length || !char.IsAsciiHexDigit(raw[i + 1]) || !char.IsAsciiHexDigit(raw[i + 2]))
            {
                return null;
            }

            bytes.Add(Convert.ToByte(raw.Slice(i + 1, 2).ToString(), 16));
            i += 2;
        }

        try
        {
            return StrictUtf8.GetString(bytes.ToArray());
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    /// <summary>
    /// What a look-alike of '.', '/', '\', '%' or ';' becomes under Unicode compatibility normalisation (NFKC) or IDNA, or
    /// null. A table rather than string.Normalize: AdoBridge runs with invariant globalization, where Normalize has no data.
    /// </summary>
    private static string? Compatibility(char c) => c switch
    {
        '\u2024' or '\uFE52' or '\uFF0E' or '\u3002' or '\uFF61' => ".",
        '\u2025' => "..",
        '\u2026' => "...",
        '\uFF0F' or '\u2215' or '\u2044' or '\u29F8' => "/",
        '\uFE68' or '\uFF3C' or '\u29F5' or '\u29F9' => "\\",
        '\uFE6A' or '\uFF05' => "%",
        '\uFE54' or '\uFF1B' or '\u037E' => ";",
        _ => null,
    };
}
