using System.CommandLine;
using System.Text.Json;
using AdoBridge.Cli.Output;
using AdoBridge.Client;

namespace AdoBridge.Cli.Commands;

/// <summary>`adobridge apps list|get|set|delete`: the auth providers (owner key).</summary>
internal static class AppsCommand
{
    private static readonly TableView Table = new(("NAME", "name"), ("TYPE", "type"), ("SOURCE", "source"), ("STATUS", "status"), ("CLIENT ID", "clientId"), ("REDIRECT URI", "redirectUri"));

    public static Command Create()
    {
        var list = new Command("list", "Lists the apps (from configuration and the admin API) with their status.");
        list.Action(async (context, _, ct) =>
        {
            context.Output.Result(new ItemList<App>(await context.Client.Admin.Apps.ListAsync(ct)), CliJsonContext.Default.ItemListApp, Table);
            return ExitCodes.Ok;
        });
        list.WithExamples("adobridge apps list", "adobridge apps list -o yaml");

        var name = new Argument<string>("name") { Description = "The app's name." };
        var get = new Command("get", "Shows one app: its settings, secrets as fingerprints, redirect URI and findings.") { name };
        get.Action(async (context, parse, ct) =>
        {
            context.Output.Result(await context.Client.Admin.Apps.GetAsync(parse.GetValue(name)!, ct), CliJsonContext.Default.App);
            return ExitCodes.Ok;
        });
        get.WithExamples("adobridge apps get contoso-entra -o json");

        var file = new Option<string>("--file", "-f") { Description = "The app as JSON (the body of PUT /v1/admin/apps/{name}); - reads stdin.", Required = true, HelpName = "path" };
        var set = new Command("set", "Creates or replaces an app from a JSON file; refusals name each wrong field with its fix.") { name, file };
        set.Action(async (context, parse, ct) =>
        {
            var json = await InputFile.ReadAsync(parse.GetValue(file)!, ct);
            AppDefinition definition;
            try
            {
                definition = JsonSerializer.Deserialize(json, StrictJson.Default.AppDefinition)
                    ?? throw CliException.Usage("invalid_app_file", "The app file holds null.", "Give a JSON object, as in the README's app example.");
            }
            catch (JsonException e)
            {
                throw CliException.Usage("invalid_app_file", $"The app file is not an app definition: {e.Message}", "Compare it with the README's app example; field names are camelCase.");
            }

            var app = await context.Client.Admin.Apps.PutAsync(parse.GetValue(name)!, definition, ct);
            context.Output.Result(app, CliJsonContext.Default.App);
            foreach (var warning in app.Warnings)
            {
                context.Output.Warning($"warning: {warning.Field}: {warning.Message}{(warning.Fix is null ? string.Empty : " Fix: " + warning.Fix)}");
            }

            return ExitCodes.Ok;
        });
        set.WithExamples("adobridge apps set contoso-entra --file contoso-entra.json", "cat app.json | adobridge apps set contoso-entra -f -");

        var delete = new Command("delete", "Deletes an app created through the API (apps from configuration are read-only).") { name };
        delete.Action(async (context, parse, ct) =>
        {
            await context.Client.Admin.Apps.DeleteAsync(parse.GetValue(name)!, ct);
            context.Output.Success($"App '{parse.GetValue(name)}' deleted.");
            return ExitCodes.Ok;
        });
        delete.WithExamples("adobridge apps delete old-legacy-app");

        return new Command("apps", "Apps (auth providers): how AdoBridge signs users in to Azure DevOps. Needs an owner key.") { list, get, set, delete }
            .WithExamples("adobridge apps list", "adobridge apps set contoso-entra --file contoso-entra.json");
    }
}
