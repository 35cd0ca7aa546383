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

/// <summary>A run variable as the Run Pipeline API takes it: a value and whether it is secret.</summary>
internal sealed record PipelineVariableData(string? Value, bool IsSecret);
