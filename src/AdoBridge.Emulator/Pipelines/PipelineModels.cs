namespace AdoBridge.Emulator;

internal sealed class PipelineData
{
    public int Id { get; set; }
    public string Organization { get; set; } = "";
    public Guid ProjectId { get; set; }
    public string Name { get; set; } = "";
    public string Folder { get; set; } = "\\";
    public int Revision { get; set; } = 1;
    public Guid RepositoryId { get; set; }
    public string YamlPath { get; set; } = "/azure-pipelines.yml";
}

internal sealed class PipelineRunData
{
    public int Id { get; set; }
    public int PipelineId { get; set; }
    public string Name { get; set; } = "";
    public string State { get; set; } = "inProgress";
    public string? Result { get; set; }
    public DateTimeOffset CreatedDate { get; set; }
    public DateTimeOffset? FinishedDate { get; set; }

    /// <summary>When the run completes on the emulator clock.</summary>
    public DateTimeOffset CompletesAt { get; set; }
    public string RefName { get; set; } = "refs/heads/main";
    public string? SourceVersion { get; set; }
    public Dictionary<string, string> TemplateParameters { get; set; } = [];

    /// <summary>Variables set at queue time (RunPipelineParameters.variables).</summary>
    public Dictionary<string, PipelineVariableData> Variables { get; set; } = [];
    public Guid RequestedBy { get; set; }

    /// <summary>Base URL of the request that queued the run, so the build.complete event links back the same way.</summary>
    public string? EventBaseUrl { get; set; }
}

/// <summary>Starting a run, the same whether it was asked for as a pipeline run (pipelines API) or a queued build (build API).</summary>
internal static class PipelineRuns
{
    /// <summary>A new run of <paramref name="pipeline"/> on <paramref name="branch"/>, named as Azure DevOps names them (yyyyMMdd.N), added to the store.</summary>
    public static PipelineRunData Start(EmulatorData d, DevOpsCall call, EmulatorState state, PipelineData pipeline, string branch, string? sourceVersion,
        Dictionary<string, string> templateParameters, Dictionary<string, PipelineVariableData> variables)
    {
        var today = call.Now.UtcDateTime.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        var run = new PipelineRunData
        {
            Id = d.NextId("pipelineRun"),
            PipelineId = pipeline.Id,
            Name = $"{today}.{d.PipelineRuns.Count(r => r.PipelineId == pipeline.Id && r.Name.StartsWith(today, StringComparison.Ordinal)) + 1}",
            CreatedDate = call.Now,
            CompletesAt = call.Now + state.PipelineRunDuration,
            RefName = branch,
            SourceVersion = sourceVersion,
            TemplateParameters = templateParameters,
            Variables = variables,
            RequestedBy = call.Caller.Id,
            EventBaseUrl = call.OrgUrl,
        };
        d.PipelineRuns.Add(run);
        return run;
    }
}

/// <summary>A run variable as the Run Pipeline API takes it: a value and whether it is secret.</summary>
internal sealed record PipelineVariableData(string? Value, bool IsSecret);
