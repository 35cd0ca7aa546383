using System.Text;

namespace AdoBridge.Actions;

/// <summary>
/// A unified diff (as `git diff` prints it: ---/+++ headers, @@ hunks with three lines of context) of two texts, from a
/// longest-common-subsequence match of their lines. Texts whose line counts multiply past <see cref="MaxCells"/> are not
/// diffed (the caller says so) so one huge file cannot hold a request for long.
/// </summary>
internal static class UnifiedDiff
{
    public const long MaxCells = 4_000_000;
    private const int Context = 3;

    public static bool TooLarge(string? before, string? after) => (long)(Lines(before).Length + 1) * (Lines(after).Length + 1) > MaxCells;

    /// <summary>The diff of <paramref name="before"/> (null: the file is new) and <paramref name="after"/> (null: deleted); empty when equal.</summary>
    public static string Create(string path, string? before, string? after)
    {
        var a = Lines(before);
        var b = Lines(after);
        var edits = Edits(a, b);
        if (edits.All(e => e.Kind == ' '))
        {
            return string.Empty;
        }

        var text = new StringBuilder();
        text.Append("--- ").Append(before is null ? "/dev/null" : "a" + path).Append('\n');
        text.Append("+++ ").Append(after is null ? "/dev/null" : "b" + path).Append('\n');
        var i = 0;
        while (i < edits.Count)
        {
            if (edits[i].Kind == ' ')
            {
                i++;
                continue;
            }

            // A hunk: from Context lines before this change to Context lines after the last change within 2*Context of it.
            var start = Math.Max(0, i - Context);
            var end = i;
            while (true)
            {
                var next = end + 1;
                while (next < edits.Count && edits[next].Kind == ' ' && next - end <= 2 * Context)
                {
                    next++;
                }

                if (next < edits.Count && edits[next].Kind != ' ' && next - end <= 2 * Context)
                {
                    end = next;
                    continue;
                }

                break;
            }

            var stop = Math.Min(edits.Count, end + Context + 1);
            var hunk = edits.GetRange(start, stop - start);
            var oldStart = hunk.FirstOrDefault(e => e.Kind != '+').OldLine;
            var newStart = hunk.FirstOrDefault(e => e.Kind != '-').NewLine;
            var oldCount = hunk.Count(e => e.Kind != '+');
            var newCount = hunk.Count(e => e.Kind != '-');
            text.Append("@@ -").Append(Range(oldCount == 0 ? edits[start].OldLine - 1 : oldStart, oldCount))
                .Append(" +").Append(Range(newCount == 0 ? edits[start].NewLine - 1 : newStart, newCount)).Append(" @@\n");
            foreach (var e in hunk)
            {
                text.Append(e.Kind).Append(e.Text).Append('\n');
            }

            i = stop;
        }

        return text.ToString();
    }

    private static string Range(int start, int count) => count == 1 ? $"{start}" : $"{start},{count}";

    private static string[] Lines(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return [];
        }

        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        return text.EndsWith('\n') ? lines[..^1] : lines;
    }

    private readonly record struct Edit(char Kind, string Text, int OldLine, int NewLine);

    private static List<Edit> Edits(string[] a, string[] b)
    {
        // lcs[i, j] = length of the longest common subsequence of a[i..] and b[j..].
#pragma warning disable CA1814 // a rectangular table, filled completely: one block instead of a row array per line
        var lcs = new int[a.Length + 1, b.Length + 1];
#pragma warning restore CA1814
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        var edits = new List<Edit>();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                edits.Add(new Edit(' ', a[x], x + 1, y + 1));
                x++;
                y++;
            }
            else if (y < b.Length && (x == a.Length || lcs[x, y + 1] >= lcs[x + 1, y]))
            {
                edits.Add(new Edit('+', b[y], x + 1, y + 1));
                y++;
            }
            else
            {
                edits.Add(new Edit('-', a[x], x + 1, y + 1));
                x++;
            }
        }

        // Git lists a hunk's removals before its additions.
        for (var i = 0; i + 1 < edits.Count; i++)
        {
            var j = i;
            while (j < edits.Count && edits[j].Kind != ' ')
            {
                j++;
            }

            if (j - i > 1)
            {
                var block = edits.GetRange(i, j - i);
                edits.RemoveRange(i, j - i);
                edits.InsertRange(i, block.Where(e => e.Kind == '-').Concat(block.Where(e => e.Kind == '+')));
            }

            i = j;
        }

        return edits;
    }
}
