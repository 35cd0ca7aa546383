using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace AdoBridge.Emulator;

/// <summary>Service hook subscriptions: create (validated like the service: publisher tfs, a known event type, consumer
/// webHooks/httpRequest, an absolute HTTPS url, HTTP allowed only on loopback for tests), list, get, replace, delete;
/// confidential consumer inputs (<see cref="WebHooksConsumer"/>) are masked whenever a subscription is read.</summary>
internal static class SubscriptionsEndpoints
{
    public const string WriteScopes = "vso.hooks_write|vso.code|vso.work|vso.build";
    private const string ReadScopes = "vso.hooks|" + WriteScopes;

    public static readonly string[] EventTypes =
    [
        "git.push", "git.pullrequest.created", "git.pullrequest.updated", "git.pullrequest.merged", "ms.vss-code.git-pullrequest-comment-event",
        "git.repo.created", "git.repo.deleted", "git.repo.forked", "git.repo.renamed", "git.repo.statuschanged",
        "workitem.created", "workitem.updated", "workitem.deleted", "workitem.restored", "workitem.commented", "build.complete", "tfvc.checkin",
    ];

    public static IResult List(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, ReadScopes, call => state.Read(d => call.List(d.HookSubscriptions
            .Where(s => string.Equals(s.Organization, call.Org.Name, StringComparison.OrdinalIgnoreCase))
            .Where(s => call.Query("publisherId") is not { } p || string.Equals(s.PublisherId, p, StringComparison.OrdinalIgnoreCase))
            .Where(s => call.Query("eventType") is not { } e || string.Equals(s.EventType, e, StringComparison.OrdinalIgnoreCase))
            .Where(s => call.Query("consumerId") is not { } c || string.Equals(s.ConsumerId, c, StringComparison.OrdinalIgnoreCase))
            .OrderBy(s => s.CreatedDate)
            .Select(s => Json(call, d, s))
            .ToArray())));

    public static IResult Get(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, ReadScopes, call => state.Read(d => Find(d, call) is { } sub ? DevOpsJson.Ok(Json(call, d, sub)) : NotFound(call)));

    public static IResult Delete(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, WriteScopes, call => state.Write(d =>
        {
            var sub = Find(d, call);
            if (sub is null)
            {
                return NotFound(call);
            }

            d.HookSubscriptions.Remove(sub);
            return Results.NoContent();
        }));

    public static Task<IResult> Create(HttpContext http, EmulatorState state) => Save(http, state, replace: false);

    public static Task<IResult> Replace(HttpContext http, EmulatorState state) => Save(http, state, replace: true);

    private static Task<IResult> Save(HttpContext http, EmulatorState state, bool replace) =>
        DevOpsApi.RunAsync(http, state, WriteScopes, async call =>
        {
            var (body, error) = await call.ReadJsonAsync();
            if (error is not null)
            {
                return error;
            }

            if (Validate(call, body) is { } invalid)
            {
                return invalid;
            }

            return state.Write(d =>
            {
                var sub = replace ? Find(d, call) : new HookSubscriptionData { Id = Guid.NewGuid(), Organization = call.Org.Name, CreatedBy = call.Caller.Id, CreatedDate = call.Now };
                if (sub is null)
                {
                    return NotFound(call);
                }

                sub.PublisherId = DevOpsJson.Str(body, "publisherId")!;
                sub.EventType = DevOpsJson.Str(body, "eventType")!;
                sub.ResourceVersion = DevOpsJson.Str(body, "resourceVersion") ?? (sub.EventType is "ms.vss-code.git-pullrequest-comment-event" or "build.complete" ? "2.0" : "1.0");
                sub.ConsumerId = DevOpsJson.Str(body, "consumerId")!;
                sub.ConsumerActionId = DevOpsJson.Str(body, "consumerActionId")!;
                sub.PublisherInputs = Inputs(body, "publisherInputs");

                // The service adds the collection's host id (the pcguid of work item links, resourceContainers.collection.id).
                sub.PublisherInputs["hostId"] = call.Org.Id.ToString();
                var consumerInputs = Inputs(body, "consumerInputs");
                foreach (var name in WebHooksConsumer.ConfidentialInputs)
                {
                    if (replace && consumerInputs.GetValueOrDefault(name) is WebHooksConsumer.Mask)
                    {
                        // Clients send back the masked value they read; keep the stored secret.
                        consumerInputs[name] = sub.ConsumerInputs.GetValueOrDefault(name) ?? string.Empty;
                    }
                }

                sub.ConsumerInputs = consumerInputs;
                if (replace && DevOpsJson.Str(body, "status") is "enabled" or "disabledByUser" && sub.Status != "onProbation")
                {
                    sub.Status = DevOpsJson.Str(body, "status")!;
                }

                sub.ModifiedBy = call.Caller.Id;
                sub.ModifiedDate = call.Now;
                if (!replace)
                {
                    d.HookSubscriptions.Add(sub);
                }

                return DevOpsJson.Ok(Json(call, d, sub));
            });
        });

    private static IResult? Validate(DevOpsCall call, JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return Bad("The subscription must be a JSON object.");
        }

        var publisher = DevOpsJson.Str(body, "publisherId");
        var eventType = DevOpsJson.Str(body, "eventType");
        if (!string.Equals(publisher, "tfs", StringComparison.Ordinal))
        {
            return Bad($"The publisher '{publisher}' is not supported. Use publisherId 'tfs'.");
        }

        if (eventType is null || !EventTypes.Contains(eventType, StringComparer.Ordinal))
        {
            return Bad($"The event type '{eventType}' is not supported by publisher 'tfs'.");
        }

        if (DevOpsJson.Str(body, "consumerId") != "webHooks" || DevOpsJson.Str(body, "consumerActionId") != "httpRequest")
        {
            return Bad("Only the consumer 'webHooks' with the action 'httpRequest' is supported.");
        }

        var publisherInputs = Inputs(body, "publisherInputs");
        if (publisherInputs.GetValueOrDefault("projectId") is { Length: > 0 } projectId && (!Guid.TryParse(projectId, out var pid) || call.FindProject(pid) is null))
        {
            return Bad($"The value '{projectId}' of publisher input 'projectId' is not a project of this organization.");
        }

        var consumerInputs = Inputs(body, "consumerInputs");
        var url = consumerInputs.GetValueOrDefault("url");
        if (string.IsNullOrWhiteSpace(url))
        {
            return Bad("The consumer input 'url' is required.");
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            return Bad($"The consumer input 'url' must be an absolute HTTPS URL: '{url}'.");
        }

        if (uri.Scheme == "http" && !uri.IsLoopback)
        {
            // The service requires HTTPS; the emulator allows plain HTTP on loopback so tests can receive webhooks.
            return Bad($"The consumer input 'url' must use HTTPS: '{url}'.");
        }

        return null;
    }

    private static Dictionary<string, string> Inputs(JsonElement body, string name)
    {
        var inputs = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (DevOpsJson.Prop(body, name) is { ValueKind: JsonValueKind.Object } obj)
        {
            foreach (var p in obj.EnumerateObject())
            {
                inputs[p.Name] = DevOpsJson.Text(p.Value) ?? string.Empty;
            }
        }

        return inputs;
    }

    /// <summary>GET _apis/hooks/consumers: the one consumer the emulator serves.</summary>
    public static IResult Consumers(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, ReadScopes, call => call.List(new[] { WebHooksConsumer.Json(call.OrgUrl) }));

    /// <summary>GET _apis/hooks/consumers/{consumerId}: webHooks with its action's input descriptors.</summary>
    public static IResult Consumer(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, ReadScopes, call => string.Equals(call.Route("consumerId"), WebHooksConsumer.Id, StringComparison.OrdinalIgnoreCase)
            ? DevOpsJson.Ok(WebHooksConsumer.Json(call.OrgUrl))
            : DevOpsRoutes.NotFound("ConsumerNotFoundException", $"VS1051010: The consumer with identifier '{call.Route("consumerId")}' does not exist."));

    private static HookSubscriptionData? Find(EmulatorData d, DevOpsCall call) =>
        Guid.TryParse(call.Route("subscriptionId"), out var id)
            ? d.HookSubscriptions.FirstOrDefault(s => s.Id == id && string.Equals(s.Organization, call.Org.Name, StringComparison.OrdinalIgnoreCase))
            : null;

    private static IResult NotFound(DevOpsCall call) =>
        DevOpsRoutes.NotFound("SubscriptionNotFoundException", $"VS1051103: The subscription with identifier '{call.Route("subscriptionId")}' does not exist.");

    private static IResult Bad(string message) => DevOpsRoutes.BadRequest(message, "SubscriptionInputException");

    private static Dictionary<string, object?> Json(DevOpsCall call, EmulatorData d, HookSubscriptionData s)
    {
        // As Azure DevOps does, inputs its consumer marks isConfidential are never shown again once stored.
        var consumerInputs = WebHooksConsumer.Masked(s.ConsumerInputs);
        return new Dictionary<string, object?>
        {
            ["id"] = s.Id,
            ["url"] = $"{call.OrgUrl}/_apis/hooks/subscriptions/{s.Id}",
            ["status"] = s.Status,
            ["publisherId"] = s.PublisherId,
            ["eventType"] = s.EventType,
            ["resourceVersion"] = s.ResourceVersion,
            ["consumerId"] = s.ConsumerId,
            ["consumerActionId"] = s.ConsumerActionId,
            ["actionDescription"] = $"To host {(Uri.TryCreate(s.ConsumerInputs.GetValueOrDefault("url"), UriKind.Absolute, out var u) ? u.Host : "")}",
            ["probationRetries"] = s.ProbationRetries,
            ["createdBy"] = DevOpsJson.Identity(call, d, s.CreatedBy),
            ["createdDate"] = DevOpsJson.Iso(s.CreatedDate),
            ["modifiedBy"] = DevOpsJson.Identity(call, d, s.ModifiedBy),
            ["modifiedDate"] = DevOpsJson.Iso(s.ModifiedDate),
            ["lastProbationRetryDate"] = s.LastProbationRetryDate is { } l ? DevOpsJson.Iso(l) : null,
            ["publisherInputs"] = new Dictionary<string, string>(s.PublisherInputs),
            ["consumerInputs"] = consumerInputs,
        };
    }
}
