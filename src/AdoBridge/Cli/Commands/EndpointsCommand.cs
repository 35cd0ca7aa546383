using System.CommandLine;
using AdoBridge.Cli.Output;
using AdoBridge.Client;

namespace AdoBridge.Cli.Commands;

/// <summary>`adobridge endpoints list|get|create|rotate|test|delete`: where AdoBridge delivers events.</summary>
internal static class EndpointsCommand
{
    private static readonly TableView Table = new(("ID", "id"), ("URL", "url"), ("EVENTS", "events"), ("STATUS", "status"), ("CIRCUIT", "circuit"), ("FAILURES", "consecutiveFailures"));

    public static Command Create()
    {
        var paging = new ListOptions();
        var list = new Command("list", "Lists the webhook endpoints of the key's environment.");
        paging.AddTo(list);
        list.Action(async (context, parse, ct) =>
        {
            var query = new WebhookEndpointQuery { Limit = parse.GetValue(paging.Limit), Cursor = parse.GetValue(paging.Cursor) };
            var page = parse.GetValue(paging.All)
                ? new Page<WebhookEndpoint>(await context.Client.WebhookEndpoints.ListAllAsync(query, ct).ToListAsync(ct), null)
                : await context.Client.WebhookEndpoints.ListAsync(query, ct);
            context.Output.Result(page, CliJsonContext.Default.PageWebhookEndpoint, Table);
            return ExitCodes.Ok;
        });
        list.WithExamples("adobridge endpoints list", "adobridge endpoints list -o json");

        var id = new Argument<string>("endpoint") { Description = "The endpoint's id (whe_…)." };
        var get = new Command("get", "Shows one endpoint: URL, event filters, status, circuit breaker.") { id };
        get.Action(async (context, parse, ct) =>
        {
            context.Output.Result(await context.Client.WebhookEndpoints.GetAsync(parse.GetValue(id)!, ct), CliJsonContext.Default.WebhookEndpoint);
            return ExitCodes.Ok;
        });
        get.WithExamples("adobridge endpoints get whe_01J…");

        var url = new Option<string>("--url") { Description = "Where to POST events (https; loopback allowed in sandbox mode).", Required = true, HelpName = "url" };
        var events = new Option<string[]>("--events") { Description = "Event types to send, exact or with a wildcard; comma-separated or repeated.", Required = true, HelpName = "types", AllowMultipleArgumentsPerToken = true };
        var description = new Option<string?>("--description") { Description = "What the endpoint is for.", HelpName = "text" };
        var create = new Command("create", "Registers an endpoint and prints its signing secret once: store it now.") { url, events, description };
        create.Action(async (context, parse, ct) =>
        {
            var types = (parse.GetValue(events) ?? []).SelectMany(e => e.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
            var endpoint = await context.Client.WebhookEndpoints.CreateAsync(new CreateWebhookEndpointRequest(AbsoluteUrl(parse.GetValue(url)!, "--url"), types, parse.GetValue(description)), ct);
            await WithSecretAsync(context, endpoint, "Created");
            return ExitCodes.Ok;
        });
        create.WithExamples("adobridge endpoints create --url https://app.contoso.com/hooks/adobridge --events 'pull_request.*,work_item.updated'");

        var rotate = new Command("rotate", "Makes a new signing secret, printed once; the old one keeps signing too during the grace period (24 h by default).") { id };
        rotate.Action(async (context, parse, ct) =>
        {
            await WithSecretAsync(context, await context.Client.WebhookEndpoints.RotateSecretAsync(parse.GetValue(id)!, ct), "Rotated the secret of");
            return ExitCodes.Ok;
        });
        rotate.WithExamples("adobridge endpoints rotate whe_01J…");

        var test = new Command("test", "Sends a webhook.test event to the endpoint; see how it went with `adobridge deliveries list --event <id>`.") { id };
        test.Action(async (context, parse, ct) =>
        {
            var sent = await context.Client.WebhookEndpoints.SendTestAsync(parse.GetValue(id)!, ct);
            context.Output.Result(sent, CliJsonContext.Default.TestEventResult);
            if (context.Output.Format == OutputFormat.Table)
            {
                context.Output.Note($"Follow it with `adobridge deliveries list --event {sent.EventId}`.");
            }

            return ExitCodes.Ok;
        });
        test.WithExamples("adobridge endpoints test whe_01J…");

        var delete = new Command("delete", "Deletes an endpoint; deliveries still owed to it end as dead.") { id };
        delete.Action(async (context, parse, ct) =>
        {
            await context.Client.WebhookEndpoints.DeleteAsync(parse.GetValue(id)!, ct);
            context.Output.Success($"Endpoint {parse.GetValue(id)} deleted.");
            return ExitCodes.Ok;
        });
        delete.WithExamples("adobridge endpoints delete whe_01J…");

        return new Command("endpoints", "Webhook endpoints: where AdoBridge delivers events, signed per Standard Webhooks.") { list, get, create, rotate, test, delete }
            .WithExamples("adobridge endpoints list", "adobridge endpoints create --url https://app.contoso.com/hooks --events 'pull_request.*'");
    }

    public static Uri AbsoluteUrl(string text, string option)
        => Uri.TryCreate(text, UriKind.Absolute, out var uri)
            ? uri
            : throw CliException.Usage("invalid_url", $"{option} '{text}' is not an absolute URL.", $"Give a full URL, e.g. {option} https://app.contoso.com/hooks/adobridge.");

    private static async Task WithSecretAsync(CliContext context, WebhookEndpointWithSecret endpoint, string verb)
    {
        if (context.Output.Format == OutputFormat.Table)
        {
            context.Output.Note($"{verb} endpoint {endpoint.Id} ({endpoint.Url}); its signing secret is shown this once:");
            await context.Output.Stdout.WriteLineAsync(endpoint.Secret);
        }
        else
        {
            context.Output.Result(endpoint, CliJsonContext.Default.WebhookEndpointWithSecret);
        }
    }
}
