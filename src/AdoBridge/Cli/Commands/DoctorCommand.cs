using System.CommandLine;
using System.Net;
using System.Text.Json;
using AdoBridge.Cli.Output;
using AdoBridge.Client;
using Spectre.Console;

namespace AdoBridge.Cli.Commands;

/// <summary>
/// `adobridge doctor [app]`: is the server reachable and ready, is the key accepted, and the app doctor (static and live
/// checks, each with its fix) for every app or the one named. Exits 1 on any finding (warn or fail), so CI can gate on it.
/// </summary>
internal static class DoctorCommand
{
    private const string Pass = "pass";
    private const string Warn = "warn";
    private const string Fail = "fail";
    private const string Skip = "skip";

    public static Command Create()
    {
        var app = new Argument<string?>("app") { Description = "Only this app (default: every app; app checks need an owner key).", Arity = ArgumentArity.ZeroOrOne };
        var tenant = new Option<string?>("--tenant") { Description = "For a multi-tenant app: check sign-in against this tenant.", HelpName = "tenant" };
        var command = new Command("doctor", "Checks the server, the API key and the apps' setup (tenant, client id, secret, redirect URI…), each finding with its fix. Exits 1 on any warning or failure.")
        {
            app, tenant,
        };
        command.Action(async (context, parse, ct) =>
        {
            var checks = new List<DoctorCheck>
            {
                await ReadinessAsync(context, ct),
            };
            var keyCheck = await KeyAsync(context, ct);
            checks.Add(keyCheck);
            var reports = new List<DoctorReport>();
            if (keyCheck.Status == Pass)
            {
                if (parse.GetValue(app) is { } name)
                {
                    reports.Add(await context.Client.Admin.Apps.DoctorAsync(name, parse.GetValue(tenant), ct));
                }
                else
                {
                    try
                    {
                        foreach (var each in await context.Client.Admin.Apps.ListAsync(ct))
                        {
                            reports.Add(await context.Client.Admin.Apps.DoctorAsync(each.Name, parse.GetValue(tenant), ct));
                        }
                    }
                    catch (AdoBridgeApiException e) when (e.Status == 403)
                    {
                        checks.Add(new DoctorCheck("apps", Skip, "The app checks need an owner key; this key's role cannot read apps.", "Run doctor with an owner key (another --profile)."));
                    }
                }
            }

            var findings = checks.Concat(reports.SelectMany(r => r.Checks)).Count(c => c.Status is Warn or Fail);
            var result = new DoctorResult(findings == 0, checks, reports);
            if (context.Output.Format == OutputFormat.Table)
            {
                context.Output.Render(Render(result));
                if (findings == 0)
                {
                    context.Output.Success("No findings.");
                }
                else
                {
                    context.Output.Warning($"{findings} finding(s): see each fix above.");
                }
            }
            else
            {
                context.Output.Result(result, CliJsonContext.Default.DoctorResult);
            }

            return findings == 0 ? ExitCodes.Ok : ExitCodes.Error;
        });
        return command.WithExamples("adobridge doctor", "adobridge doctor contoso-entra --tenant contoso.onmicrosoft.com", "adobridge doctor -o json | jq '.apps[].verdict'");
    }

    private static async Task<DoctorCheck> ReadinessAsync(CliContext context, CancellationToken ct)
    {
        var url = context.BaseUrl;
        try
        {
            using var response = await context.Http.GetAsync(new Uri(url, "readyz"), ct);
            if (response.IsSuccessStatusCode)
            {
                return new DoctorCheck("server", Pass, $"AdoBridge at {url.AbsoluteUri.TrimEnd('/')} is ready.", null);
            }

            var detail = response.StatusCode == HttpStatusCode.ServiceUnavailable ? await ReadinessDetailAsync(response, ct) : $"/readyz answered {(int)response.StatusCode}.";
            return new DoctorCheck("server", Fail, $"AdoBridge at {url.AbsoluteUri.TrimEnd('/')} is not ready: {detail}", "See the server's log; `adobridge migrate` if the schema is behind.");
        }
        catch (HttpRequestException e)
        {
            return new DoctorCheck("server", Fail, $"Cannot reach AdoBridge at {url.AbsoluteUri.TrimEnd('/')}: {e.InnerException?.Message ?? e.Message}.",
                "Start it with `adobridge serve`, or point the CLI at it with --profile, `adobridge login --url …` or ADOBRIDGE_URL.");
        }
    }

    private static async Task<string> ReadinessDetailAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            var code = body.RootElement.TryGetProperty("code", out var c) ? c.GetString() : null;
            var detail = body.RootElement.TryGetProperty("detail", out var d) ? d.GetString() : null;
            return $"{code}: {detail}";
        }
        catch (JsonException)
        {
            return "503 without details.";
        }
    }

    private static async Task<DoctorCheck> KeyAsync(CliContext context, CancellationToken ct)
    {
        try
        {
            await context.Client.Connections.ListAsync(new ConnectionQuery { Limit = 1 }, ct);
            return new DoctorCheck("api_key", Pass, "The API key is accepted.", null);
        }
        catch (CliException e)
        {
            return new DoctorCheck("api_key", Fail, e.Message, e.Fix);
        }
        catch (AdoBridgeApiException e)
        {
            return new DoctorCheck("api_key", Fail, $"{e.Code}: {e.Detail ?? e.Title}", "Log in again with a valid key: `adobridge login`, or check ADOBRIDGE_API_KEY.");
        }
        catch (HttpRequestException)
        {
            return new DoctorCheck("api_key", Skip, "Not checked: the server cannot be reached.", null);
        }
    }

    private static Table Render(DoctorResult result)
    {
        var table = new Table().Border(TableBorder.Simple).AddColumn("STATUS").AddColumn("CHECK").AddColumn("FINDING").AddColumn("FIX");
        foreach (var check in result.Checks)
        {
            AddRow(table, check, check.Name);
        }

        foreach (var report in result.Apps)
        {
            foreach (var check in report.Checks)
            {
                AddRow(table, check, $"{report.App}: {check.Name}");
            }
        }

        return table;
    }

    private static void AddRow(Table table, DoctorCheck check, string name)
    {
        var colour = check.Status switch { Pass => Color.Green, Warn => Color.Yellow, Fail => Color.Red, _ => Color.Grey };
        table.AddRow(new Text(check.Status, new Style(colour)), new Text(name), new Text(check.Message), new Text(check.Fix ?? string.Empty));
    }
}

/// <summary>What `doctor` found: <see cref="Ok"/> is false on any warning or failure.</summary>
internal sealed record DoctorResult(bool Ok, IReadOnlyList<DoctorCheck> Checks, IReadOnlyList<DoctorReport> Apps);
