namespace AdoBridge.Emulator;

// Pipeline runs progress on the emulator clock: queued runs complete (succeeded) after PipelineRunDuration.
public sealed partial class EmulatorState
{
    private long _pipelineRunDurationTicks = TimeSpan.FromSeconds(30).Ticks;

    /// <summary>How long a queued run stays inProgress on the emulator clock (default 30 s).</summary>
    public TimeSpan PipelineRunDuration
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _pipelineRunDurationTicks));
        set => Interlocked.Exchange(ref _pipelineRunDurationTicks, value.Ticks);
    }

    /// <summary>Completes one run now with the given result (succeeded, failed, canceled), firing build.complete.</summary>
    public void CompletePipelineRun(int runId, string result = "succeeded")
    {
        if (result is not ("succeeded" or "failed" or "canceled"))
        {
            throw new ArgumentException($"Unknown result '{result}'; use succeeded, failed or canceled.", nameof(result));
        }

        Write(d =>
        {
            var run = d.PipelineRuns.FirstOrDefault(r => r.Id == runId) ?? throw new ArgumentException($"No pipeline run {runId}.", nameof(runId));
            if (run.State != "completed")
            {
                CompleteLocked(d, run, result);
            }
        });
    }

    /// <summary>Completes every run whose time has come on the emulator clock; returns how many.</summary>
    public int CompleteDuePipelineRuns()
    {
        if (!Read(d => d.PipelineRuns.Any(r => r.State != "completed" && r.CompletesAt <= Now)))
        {
            return 0;
        }

        return Write(d =>
        {
            var due = d.PipelineRuns.Where(r => r.State != "completed" && r.CompletesAt <= Now).ToArray();
            foreach (var run in due)
            {
                CompleteLocked(d, run, "succeeded");
            }

            return due.Length;
        });
    }

    private void CompleteLocked(EmulatorData d, PipelineRunData run, string result)
    {
        run.State = "completed";
        run.Result = result;
        run.FinishedDate = Now;
        var pipeline = d.Pipelines.FirstOrDefault(p => p.Id == run.PipelineId);
        var org = pipeline is null ? null : FindOrganizationLocked(pipeline.Organization);
        if (pipeline is null || org is null || run.EventBaseUrl is null)
        {
            return;
        }

        var text = $"Build {run.Name} {result}";
        var resource = PipelineJson.Build(d, run.EventBaseUrl, org, pipeline, run);
        var link = $"{run.EventBaseUrl}/{pipeline.ProjectId}/_build/results?buildId={run.Id}";
        PublishLocked(d, new HookEvent(
            "build.complete",
            org.Name,
            org.Id,
            pipeline.ProjectId,
            run.EventBaseUrl,
            new HookMessage(text, $"Build <a href=\"{link}\">{run.Name}</a> {result}", $"Build [{run.Name}]({link}) {result}"),
            HookMessage.Plain($"{text}\r\n- Result: {result}\r\n- Source branch: {run.RefName}\r\n"),
            resource,
            "2.0")
        {
            Filters = { ["definitionName"] = pipeline.Name, ["buildStatus"] = char.ToUpperInvariant(result[0]) + result[1..] },
        });
    }
}
