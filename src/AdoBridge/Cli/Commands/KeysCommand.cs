using System.CommandLine;
using AdoBridge.Cli.Output;
using AdoBridge.Client;

namespace AdoBridge.Cli.Commands;

/// <summary>`adobridge keys create|list|revoke`: API keys (admin key: its environment; owner: all).</summary>
internal static class KeysCommand
{
    private static readonly TableView Table = new(("ID", "id"), ("PREFIX", "prefix"), ("NAME", "name"), ("ENVIRONMENT", "environment"), ("ROLE", "role"),
        ("LAST USED", "lastUsedAt"), ("REVOKED", "revokedAt"));

    public static Command Create()
    {
        var environment = new Option<string?>("--environment", "-e") { Description = "The environment (default: the calling key's).", HelpName = "id" };
        var list = new Command("list", "Lists API keys by prefix (values are never shown again after creation).") { environment };
        list.Action(async (context, parse, ct) =>
        {
            context.Output.Result(new ItemList<ApiKey>(await context.Client.Admin.ApiKeys.ListAsync(parse.GetValue(environment), ct)), CliJsonContext.Default.ItemListApiKey, Table);
            return ExitCodes.Ok;
        });
        list.WithExamples("adobridge keys list", "adobridge keys list --environment production -o json");

        var name = new Option<string>("--name", "-n") { Description = "What the key is for, e.g. \"review-bot production\".", Required = true, HelpName = "text" };
        var role = new Option<string?>("--role") { Description = "product (default), admin or owner.", HelpName = "role" };
        role.AcceptOnlyFromAmong(ApiKeyRole.Product, ApiKeyRole.Admin, ApiKeyRole.Owner);
        var create = new Command("create", "Creates an API key and prints it once: store it now, AdoBridge keeps only its hash.") { name, environment, role };
        create.Action(async (context, parse, ct) =>
        {
            var key = await context.Client.Admin.ApiKeys.CreateAsync(
                new CreateApiKeyRequest { Name = parse.GetValue(name)!, Environment = parse.GetValue(environment), Role = parse.GetValue(role) }, ct);
            if (context.Output.Format == OutputFormat.Table)
            {
                context.Output.Note($"Created key {key.Id} ({key.Role} in {key.Environment}); it is shown this once:");
                await context.Output.Stdout.WriteLineAsync(key.Key);
            }
            else
            {
                context.Output.Result(key, CliJsonContext.Default.CreatedApiKey);
            }

            return ExitCodes.Ok;
        });
        create.WithExamples("adobridge keys create --name \"review-bot production\" --environment production", "adobridge keys create -n ci --role admin -o json");

        var id = new Argument<string>("id") { Description = "The key's id (from `adobridge keys list`)." };
        var revoke = new Command("revoke", "Revokes a key: refused at once here, within 10 seconds by other instances. A key cannot revoke itself.") { id };
        revoke.Action(async (context, parse, ct) =>
        {
            await context.Client.Admin.ApiKeys.RevokeAsync(parse.GetValue(id)!, ct);
            context.Output.Success($"Key {parse.GetValue(id)} revoked.");
            return ExitCodes.Ok;
        });
        revoke.WithExamples("adobridge keys revoke key_01J…");

        return new Command("keys", "API keys, each bound to one environment with a role (product, admin, owner).") { list, create, revoke }
            .WithExamples("adobridge keys list", "adobridge keys create --name ci");
    }
}
