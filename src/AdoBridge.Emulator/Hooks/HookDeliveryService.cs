using System.Net;
using System.Text;
using Microsoft.Extensions.Hosting;

namespace AdoBridge.Emulator;

/// <summary>Delivers queued notifications in the background with the service's documented rules: transient failures
/// (408, 502, 503, 504, no answer) retried after 1, 2, 4, 8, 16, 32, 60, 60 s; any other failure puts the subscription
/// on probation and retries only that notification after 20 min … 15 h (success restores it, the last failure disables
/// it); 410 disables at once. Delays are multiplied by <see cref="HookDispatcher.BackoffFactor"/>.</summary>
internal sealed class HookDeliveryService(EmulatorState state, IHttpClientFactory httpClients) : BackgroundService
{
    public const string HttpClientName = "AdoBridge.Emulator.ServiceHooks";

    private static readonly TimeSpan[] TransientDelays = new[] { 1, 2, 4, 8, 16, 32, 60, 60 }.Select(s => TimeSpan.FromSeconds(s)).ToArray();
    private static readonly TimeSpan[] ProbationDelays = new[] { 20, 40, 80, 160, 320, 640, 900 }.Select(m => TimeSpan.FromMinutes(m)).ToArray();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var notification in state.Hooks.Reader.ReadAllAsync(stoppingToken))
            {
                // Each notification runs on its own so a slow or failing receiver never holds up the others.
                _ = Task.Run(() => DeliverAsync(notification, stoppingToken), stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task DeliverAsync(HookNotification n, CancellationToken ct)
    {
        try
        {
            var attempt = 0;
            for (var transient = 0; ; transient++)
            {
                var (status, error) = await SendAsync(n, ct);
                attempt++;
                if (status is >= 200 and < 300)
                {
                    var restored = state.SetHookStatus(n.SubscriptionId, "enabled", fromProbationOnly: true);
                    Log(n, attempt, "delivered", status, null, restored);
                    return;
                }

                if (status == (int)HttpStatusCode.Gone)
                {
                    Log(n, attempt, "terminalFailure", status, error, state.SetHookStatus(n.SubscriptionId, "disabledBySystem"));
                    return;
                }

                var isTransient = status is null or 408 or 502 or 503 or 504;
                if (isTransient && transient < TransientDelays.Length)
                {
                    Log(n, attempt, "transientFailure", status, error, state.HookStatus(n.SubscriptionId));
                    await DelayAsync(TransientDelays[transient], ct);
                    continue;
                }

                Log(n, attempt, "failed", status, error, state.SetHookStatus(n.SubscriptionId, "onProbation"));
                break;
            }

            foreach (var delay in ProbationDelays)
            {
                await DelayAsync(delay, ct);
                if (state.HookStatus(n.SubscriptionId) != "onProbation")
                {
                    return;
                }

                var (status, error) = await SendAsync(n, ct);
                attempt++;
                if (status is >= 200 and < 300)
                {
                    Log(n, attempt, "delivered", status, null, state.SetHookStatus(n.SubscriptionId, "enabled"));
                    return;
                }

                Log(n, attempt, "probationRetryFailed", status, error, state.CountProbationRetry(n.SubscriptionId, ProbationDelays.Length));
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private async Task<(int? Status, string? Error)> SendAsync(HookNotification n, CancellationToken ct)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, n.Url) { Content = new StringContent(n.Body, Encoding.UTF8, "application/json") };
            foreach (var (name, value) in n.Headers)
            {
                if (!request.Headers.TryAddWithoutValidation(name, value))
                {
                    request.Content.Headers.TryAddWithoutValidation(name, value);
                }
            }

            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, ct);
            return ((int)response.StatusCode, response.IsSuccessStatusCode ? null : response.ReasonPhrase);
        }
        catch (HttpRequestException ex)
        {
            return (null, ex.Message);
        }
        catch (TaskCanceledException ex) when (!ct.IsCancellationRequested)
        {
            return (null, "Timed out: " + ex.Message);
        }
    }

    private Task DelayAsync(TimeSpan documented, CancellationToken ct) =>
        Task.Delay(TimeSpan.FromTicks((long)(documented.Ticks * state.Hooks.BackoffFactor)), ct);

    private void Log(HookNotification n, int attempt, string outcome, int? status, string? error, string subscriptionStatus) =>
        state.Hooks.Record(new EmulatorHookDelivery(n.SubscriptionId, n.NotificationId, n.EventId, n.EventType, n.Url, attempt, outcome, status, error, DateTimeOffset.UtcNow, subscriptionStatus, n.Body));
}
