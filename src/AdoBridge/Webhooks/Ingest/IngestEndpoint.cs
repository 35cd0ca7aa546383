using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AdoBridge.Problems;
using AdoBridge.RateLimiting;
using AdoBridge.Storage;
using AdoBridge.Telemetry;
using AdoBridge.Webhooks.Normalization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AdoBridge.Webhooks.Ingest;

/// <summary>
/// `POST /hooks/ado/{path}`: where Azure DevOps' service hooks deliver. Checks come cheapest first and every refusal is
/// a 4xx problem (404 unknown path, 401 missing or wrong secret or user name, 413 over Azure DevOps' own 2 MB limit, 400 not
/// JSON, not a known event, or not the hook's event type, collection, project or repository); the 200 is sent only once the event is committed, and never waits on delivery to the product.
/// </summary>
internal static partial class IngestEndpoint
{
    /// <summary>Azure DevOps refuses to send a payload over 2 MB, so anything larger is not from it.</summary>
    public const int MaxBodyBytes = 2 * 1024 * 1024;

    /// <summary>The route's name, by which <see cref="IngestFastPath"/> finds its endpoint.</summary>
    public const string Name = "ingestServiceHook";

    public static IEndpointRouteBuilder MapServiceHookIngest(this IEndpointRouteBuilder endpoints)
    {
        // Its own audience: Azure DevOps, authenticated per hook by path and secret rather than by API key.
        endpoints.MapPost("/hooks/ado/{path}", IngestAsync).AllowAnonymous().WithTags("Ingest").LimitFailedIngestAuthentication()
            .WithName(Name).WithProblemCodes(StatusCodes.Status429TooManyRequests, "rate_limited").WithSummary("Receive an Azure DevOps service-hook notification")
            .WithDescription("Receives Azure DevOps service-hook notifications for one subscription (the URL and secret are set up by AdoBridge).");
        return endpoints;
    }

    internal sealed record IngestAnswer(string Status, string? EventId);

    internal static async Task<IResult> IngestAsync(string path, HttpContext http, HookDirectory hooks, IngestWriter writer, TimeProvider clock,
        ILoggerFactory loggers, CancellationToken ct)
    {
        // Created only on a refusal: the factory takes a lock per call, which the accepted path should not pay.
        ILogger Log() => loggers.CreateLogger("AdoBridge.Webhooks.Ingest");
        if (path.Length is 0 or > 128)
        {
            return UnknownPath();
        }

        var pathHash = HookCredentials.Hash(path);
        var hook = await hooks.FindAsync(pathHash, ct);
        if (hook is null)
        {
            return UnknownPath();
        }

        var presented = PresentedSecrets(http.Request, out var userMatches);
        if (presented.Count == 0)
        {
            LogRefused(Log(), hook.HookId, 401, "no secret");
            return Problem.Create(StatusCodes.Status401Unauthorized, "hook_secret_missing", "Secret missing",
                $"Send the hook's secret as the basic-auth password (user '{HookCredentials.UserName}') or in the {HookCredentials.SecretHeader} header, as the subscription AdoBridge created does.");
        }

        // Every presented value is checked (no early exit), each in constant time, and so is the basic-auth user name:
        // a wrong one answers like a wrong secret, so the answer never says which part was right.
        var genuine = userMatches;
        foreach (var secret in presented)
        {
            genuine &= HookCredentials.Matches(secret, hook.SecretHash);
        }

        if (!genuine)
        {
            LogRefused(Log(), hook.HookId, 401, "wrong secret");
            return Problem.Create(StatusCodes.Status401Unauthorized, "hook_secret_invalid", "Secret does not match",
                $"The basic-auth user name (it must be '{HookCredentials.UserName}') or the secret sent does not match this hook's. If the subscription was repaired or recreated, Azure DevOps now holds the new secret.");
        }

        var body = await ReadBodyAsync(http, ct);
        if (body is null)
        {
            LogRefused(Log(), hook.HookId, 413, "over 2 MB");
            return Problem.Create(StatusCodes.Status413PayloadTooLarge, "payload_too_large", "Payload too large",
                $"The body is over {MaxBodyBytes / (1024 * 1024)} MB, Azure DevOps' own limit for a service-hook payload.");
        }

        NormalizedEvent normalized;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (!ServiceHookNormalizer.TryNormalize(document.RootElement, out var result, out var error))
            {
                LogRefused(Log(), hook.HookId, 400, "unknown shape");
                return Problem.BadRequest("unknown_event_shape", $"The body is JSON but not a service-hook notification AdoBridge knows: {error}");
            }

            normalized = result;
        }
        catch (JsonException)
        {
            LogRefused(Log(), hook.HookId, 400, "not JSON");
            return Problem.BadRequest("malformed_json", "The body is not valid JSON (UTF-8).");
        }

        if (HookPayloadCheck.Refusal(hook, normalized) is { } mismatch)
        {
            LogRefused(Log(), hook.HookId, 400, mismatch.Code);
            return Problem.BadRequest(mismatch.Code, mismatch.Message);
        }

        var (organization, project, repository) = HookPayloadCheck.Where(hook, normalized);
        var e = new EventEntity
        {
            Id = Ids.New("evt", clock),
            EnvironmentId = hook.EnvironmentId,
            Type = normalized.Type,
            ConnectionId = hook.ConnectionId,
            Payload = normalized.Data.ToJsonString(),
            CreatedAt = clock.GetUtcNow(),
            Source = EventSources.AzureDevOps,
            SourceEventId = normalized.SourceEventId,
            SourceEventType = normalized.SourceEventType,
            SubscriptionId = hook.SubscriptionId,
            Organization = organization,
            Project = project,
            Repository = repository,
            RawPayload = Encoding.UTF8.GetString(body),
            TraceParent = AdoBridgeTelemetry.CurrentTraceParent(),
        };
        TelemetrySpans.TagIngestedEvent(e.Id, e.Type, e.ConnectionId, e.SubscriptionId);
        try
        {
            var stored = await writer.WriteAsync(e, hook.HookId, ct);
            return TypedResults.Ok(stored ? new IngestAnswer("accepted", e.Id) : new IngestAnswer("duplicate", null));
        }
        catch (IngestUnavailableException unavailable)
        {
            http.Response.Headers.RetryAfter = "5";
            return Problem.Create(StatusCodes.Status503ServiceUnavailable, "ingest_unavailable", "Try again", unavailable.Message + " Azure DevOps retries this notification.");
        }
    }

    private static ProblemHttpResult UnknownPath()
        => Problem.NotFound("hook_not_found", "No subscription receives events at this URL. It may have been deleted; AdoBridge creates the URLs itself.");

    /// <summary>The secrets the caller sent: the basic-auth password and the custom header (accepted from hooks made before
    /// the secret moved to the confidential password input alone), whichever are present; and whether the basic-auth user
    /// name, when basic auth is sent, is the one AdoBridge gave Azure DevOps.</summary>
    private static List<string> PresentedSecrets(HttpRequest request, out bool userMatches)
    {
        var found = new List<string>(2);
        userMatches = true;
        if (AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var auth)
            && auth.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase) && auth.Parameter is { } encoded)
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                userMatches = colon >= 0 && decoded.AsSpan(0, colon).SequenceEqual(HookCredentials.UserName);
                found.Add(colon < 0 ? decoded : decoded[(colon + 1)..]);
            }
            catch (FormatException)
            {
                found.Add(string.Empty);
            }
        }

        if (request.Headers.TryGetValue(HookCredentials.SecretHeader, out var header))
        {
            found.Add(header.ToString());
        }

        return found;
    }

    /// <summary>
    /// The body, or null when it is over the limit. An oversized body is read to its end (up to twice the limit) before
    /// the 413, so that the sender, still writing, gets the answer rather than a reset connection.
    /// </summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpContext http, CancellationToken ct)
    {
        const int drainLimit = 2 * MaxBodyBytes;
        var declared = http.Request.ContentLength;
        if (declared is > drainLimit)
        {
            return null;
        }

        // The server-wide limit is 1 MB; this route allows Azure DevOps' 2 MB and counts the bytes itself.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = drainLimit;
        }

        // Plain arrays, not ArrayPool.Shared: the shared pool keeps a returned buffer per thread and per core, so a burst
        // of 2 MB bodies left a 4 MB array alive for every thread that served one (about 1 GB after 200 concurrent
        // ingests, never given back). These are collected with the request.
        var buffer = new byte[(int)Math.Min(declared ?? 16 * 1024, MaxBodyBytes) + 1];
        var length = 0;
        var tooLarge = declared is > MaxBodyBytes;
        while (true)
        {
            if (length == buffer.Length && !tooLarge)
            {
                Array.Resize(ref buffer, Math.Min(buffer.Length * 2, MaxBodyBytes + 2));
            }

            int read;
            try
            {
                // Past the limit the bytes are only counted and dropped.
                read = await http.Request.Body.ReadAsync(tooLarge ? buffer.AsMemory() : buffer.AsMemory(length), ct);
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                return null;
            }

            if (read == 0)
            {
                return tooLarge ? null : buffer.AsSpan(0, length).ToArray();
            }

            length += read;
            tooLarge |= length > MaxBodyBytes;
        }
    }

    /// <summary>Logs a refusal and counts it (by its reason: bounded, unlike the hook id).</summary>
    private static void LogRefused(ILogger logger, string hookId, int status, string reason)
    {
        TelemetryInstruments.Ingested(null, "refused");
        LogRefusal(logger, hookId, status, reason);
    }

    [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "Ingest refused for hook {HookId}: {Status} ({Reason}).")]
    private static partial void LogRefusal(ILogger logger, string hookId, int status, string reason);
}
