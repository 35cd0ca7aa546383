using System.Text;

namespace AdoBridge.Emulator;

internal enum WiqlTokenKind
{
    Word,
    Field,
    String,
    Number,
    Macro,
    Symbol,
    End,
}

/// <summary>A token and where it starts; a field of a link query may carry its side ([Source].[…] or [Target].[…]).</summary>
internal sealed record WiqlToken(WiqlTokenKind Kind, string Text, int Position, string? Scope = null)
{
    public bool Is(string word) => Kind is WiqlTokenKind.Word or WiqlTokenKind.Symbol && string.Equals(Text, word, StringComparison.OrdinalIgnoreCase);

    /// <summary>The token as the service quotes it in error messages («…»).</summary>
    public string Display => Kind switch
    {
        WiqlTokenKind.End => "<end of query>",
        WiqlTokenKind.Field => $"[{Text}]",
        WiqlTokenKind.String => $"'{Text.Replace("'", "''", StringComparison.Ordinal)}'",
        _ => Text,
    };
}

/// <summary>Raised for a query the service would refuse; the message follows the service's TF510xx texts.</summary>
internal sealed class WiqlException(string message) : Exception(message);

/// <summary>Splits WIQL into tokens: words, [bracketed fields], 'strings' ('' escapes a quote), numbers, @macros and operators.</summary>
internal static class WiqlTokenizer
{
    public static List<WiqlToken> Tokenize(string text)
    {
        var tokens = new List<WiqlToken>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '[')
            {
                var end = text.IndexOf(']', i + 1);
                if (end < 0)
                {
                    throw new WiqlException($"TF51006: Expecting a closing bracket ']'. The error is caused by «{text[i..]}».");
                }

                var name = text[(i + 1)..end].Trim();
                if (end + 2 < text.Length && text[end + 1] == '.' && text[end + 2] == '[' && name is "Source" or "Target")
                {
                    // [Source].[System.State] in a link query: one field token that remembers its side.
                    var fieldEnd = text.IndexOf(']', end + 3);
                    if (fieldEnd < 0)
                    {
                        throw new WiqlException($"TF51006: Expecting a closing bracket ']'. The error is caused by «{text[(end + 2)..]}».");
                    }

                    tokens.Add(new WiqlToken(WiqlTokenKind.Field, text[(end + 3)..fieldEnd].Trim(), i, name));
                    i = fieldEnd + 1;
                    continue;
                }

                tokens.Add(new WiqlToken(WiqlTokenKind.Field, name, i));
                i = end + 1;
            }
            else if (c == '\'' || c == '"')
            {
                var start = i;
                var value = new StringBuilder();
                i++;
                while (true)
                {
                    if (i >= text.Length)
                    {
                        throw new WiqlException($"TF51006: The query contains an unterminated string. The error is caused by «{text[start..]}».");
                    }

                    if (text[i] == c)
                    {
                        if (i + 1 < text.Length && text[i + 1] == c)
                        {
                            value.Append(c);
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    value.Append(text[i++]);
                }

                tokens.Add(new WiqlToken(WiqlTokenKind.String, value.ToString(), start));
            }
            else if (char.IsDigit(c))
            {
                var start = i;
                while (i < text.Length && (char.IsDigit(text[i]) || text[i] == '.'))
                {
                    i++;
                }

                tokens.Add(new WiqlToken(WiqlTokenKind.Number, text[start..i], start));
            }
            else if (c == '@')
            {
                var start = i++;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }

                tokens.Add(new WiqlToken(WiqlTokenKind.Macro, text[start..i], start));
            }
            else if (char.IsLetter(c) || c == '_')
            {
                var start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '_' or '.'))
                {
                    i++;
                }

                tokens.Add(new WiqlToken(WiqlTokenKind.Word, text[start..i], start));
            }
            else
            {
                var two = i + 1 < text.Length ? text.Substring(i, 2) : null;
                if (two is "<>" or ">=" or "<=" or "!=")
                {
                    tokens.Add(new WiqlToken(WiqlTokenKind.Symbol, two == "!=" ? "<>" : two, i));
                    i += 2;
                }
                else if (c is '=' or '<' or '>' or '(' or ')' or ',' or '+' or '-')
                {
                    tokens.Add(new WiqlToken(WiqlTokenKind.Symbol, c.ToString(), i));
                    i++;
                }
                else
                {
                    throw new WiqlException($"TF51006: The query contains an unexpected character. The error is caused by «{c}».");
                }
            }
        }

        tokens.Add(new WiqlToken(WiqlTokenKind.End, string.Empty, text.Length));
        return tokens;
    }
}
