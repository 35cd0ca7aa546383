namespace AdoBridge.Emulator;

/// <summary>Seeds two pipelines on Fabrikam-Fiber-Git, the first with two finished runs.</summary>
internal static class PipelineSeed
{
    public static void Apply(EmulatorData data, EmulatorOrganization org, DateTimeOffset now)
    {
        var project = org.Projects.First(p => p.Name == EmulatorDefaults.Project);
        var repo = data.Repositories.First(r => r.Id == Guid.Parse(EmulatorDefaults.RepositoryId));
        data.Pipelines.Add(new PipelineData { Id = 1, Organization = org.Name, ProjectId = project.Id, Name = "Fabrikam-Fiber-CI", RepositoryId = repo.Id });
        data.Pipelines.Add(new PipelineData { Id = 2, Organization = org.Name, ProjectId = project.Id, Name = "Fabrikam-Fiber-Release", Folder = "\\Release", RepositoryId = repo.Id, YamlPath = "/release.yml" });
        data.Sequences["pipeline"] = 2;
        var head = repo.Refs["refs/heads/main"];
        foreach (var (offset, result) in new[] { (-2, "succeeded"), (-1, "failed") })
        {
            var created = now.AddDays(offset);
            data.PipelineRuns.Add(new PipelineRunData
            {
                Id = data.NextId("pipelineRun"),
                PipelineId = 1,
                Name = created.UtcDateTime.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture) + ".1",
                State = "completed",
                Result = result,
                CreatedDate = created,
                FinishedDate = created.AddMinutes(3),
                CompletesAt = created.AddMinutes(3),
                SourceVersion = head,
                RequestedBy = Guid.Parse(EmulatorDefaults.AliceId),
            });
        }
    }
}
