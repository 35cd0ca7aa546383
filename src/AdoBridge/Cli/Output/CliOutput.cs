using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace AdoBridge.Cli.Output;

/// <summary>
/// Where a command's results and messages go. Results go to stdout in the chosen format; messages, spinners and progress
/// go to stderr, so piping stdout gives only the result. Colour and animation only on a terminal (and never with NO_COLOR).
/// </summary>
internal sealed class CliOutput
{
    private readonly TextWriter stdout;
    private readonly TextWriter stderr;
    private readonly IAnsiConsole tables;
    private readonly IAnsiConsole messages;

    public CliOutput(OutputFormat format, TextWriter stdout, TextWriter stderr)
    {
        Format = format;
        this.stdout = stdout;
        this.stderr = stderr;
        tables = Console(stdout, Terminal.StdoutIsTerminal);
        messages = Console(stderr, Terminal.StderrIsTerminal);
    }

    public OutputFormat Format { get; }

    /// <summary>Whether a person watches stderr: spinners, progress bars and prompts only then.</summary>
    public static bool Interactive => Terminal.StderrIsTerminal;

    public TextWriter Stdout => stdout;

    public IAnsiConsole Messages => messages;

    /// <summary>Prints <paramref name="value"/> as JSON or YAML, or as a table of its <c>items</c> (lists) or a grid of its members.</summary>
    public void Result<T>(T value, JsonTypeInfo<T> type, TableView? table = null)
        => Result(JsonSerializer.SerializeToElement(value, type), table);

    public void Result(JsonElement value, TableView? table = null)
    {
        switch (Format)
        {
            case OutputFormat.Json:
                stdout.WriteLine(JsonText.Write(value));
                break;
            case OutputFormat.Yaml:
                stdout.Write(YamlWriter.Write(value));
                break;
            default:
                if (table is not null && value.ValueKind == JsonValueKind.Object && value.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array)
                {
                    tables.Write(table.Render(items));
                    if (value.TryGetProperty("nextCursor", out var next) && next.ValueKind == JsonValueKind.String)
                    {
                        Note($"More on the next page: --cursor {next.GetString()} (or --all).");
                    }
                }
                else if (value.ValueKind == JsonValueKind.Object)
                {
                    tables.Write(TableView.Details(value));
                }
                else
                {
                    stdout.WriteLine(TableView.Format(value));
                }

                break;
        }
    }

    /// <summary>A table-only rendering (a person reads it); JSON and YAML print <paramref name="value"/> instead.</summary>
    public void Render(IRenderable renderable) => tables.Write(renderable);

    /// <summary>A message for the person at the terminal, on stderr.</summary>
    public void Note(string text) => messages.Write(new Text(text + Environment.NewLine));

    public void Success(string text) => messages.Write(new Text(text + Environment.NewLine, new Style(Color.Green)));

    public void Warning(string text) => messages.Write(new Text(text + Environment.NewLine, new Style(Color.Yellow)));

    public void Error(string text) => messages.Write(new Text(text + Environment.NewLine, new Style(Color.Red)));

    /// <summary>Runs <paramref name="work"/> under a spinner on a terminal; elsewhere prints <paramref name="status"/> once.</summary>
    public async Task<T> SpinAsync<T>(string status, Func<Action<string>, Task<T>> work)
    {
        if (!Interactive)
        {
            Note(status);
            return await work(_ => { });
        }

        return await messages.Status().Spinner(Spinner.Known.Dots).StartAsync(Markup.Escape(status), ctx => work(s => ctx.Status(Markup.Escape(s))));
    }

    /// <summary>Runs <paramref name="work"/> with a progress bar of <paramref name="total"/> steps on a terminal; elsewhere a line per step.</summary>
    public async Task ProgressAsync(string title, int total, Func<Action<string>, Task> work)
    {
        if (!Interactive || total == 0)
        {
            await work(Note);
            return;
        }

        await messages.Progress().AutoClear(false).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(title), maxValue: total);
                await work(step =>
                {
                    task.Description = Markup.Escape(title + ": " + step);
                    task.Increment(1);
                });
            });
    }

    private static IAnsiConsole Console(TextWriter writer, bool terminal)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        if (!terminal)
        {
            // A pipe has no width; wide enough that tables keep one row per line for grep and awk.
            console.Profile.Width = 240;
        }

        return console;
    }
}
