namespace AdoBridge.Problems;

/// <summary>Limits on text that AdoBridge stores and shows again: a length, no control characters, and for ids no markup.</summary>
internal static class InputText
{
    /// <summary>What is wrong with <paramref name="value"/> as <paramref name="field"/>, or null when it is fine (null values are fine).</summary>
    public static string? Problem(string? value, string field, int maxLength, bool isId = false)
    {
        if (value is null)
        {
            return null;
        }

        if (value.Length > maxLength)
        {
            return $"`{field}` is {value.Length:N0} characters long; at most {maxLength:N0} are allowed.";
        }

        if (value.Any(char.IsControl))
        {
            return $"`{field}` holds a control character (a NUL, line break, tab or escape); send it on one line without them.";
        }

        if (isId && value.AsSpan().IndexOfAny('<', '>') >= 0)
        {
            return $"`{field}` holds '<' or '>'; an id is plain text such as user-42 or an e-mail address.";
        }

        return null;
    }
}
