using Microsoft.Extensions.Hosting;

namespace AdoBridge.Emulator;

/// <summary>Completes due pipeline runs every quarter second, so build.complete fires without anyone polling the run.</summary>
internal sealed class PipelineRunTicker(EmulatorState state) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                state.CompleteDuePipelineRuns();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
