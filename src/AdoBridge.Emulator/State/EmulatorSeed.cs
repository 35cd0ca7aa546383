namespace AdoBridge.Emulator;

/// <summary>The Fabrikam world, in the spirit of Microsoft's samples.</summary>
internal static class EmulatorSeed
{
    public static void Apply(EmulatorData data, DateTimeOffset now)
    {
        data.Tenants.Add(new EmulatorTenant(EmulatorDefaults.TenantId, EmulatorDefaults.TenantDisplayName, EmulatorDefaults.TenantDomain));
        data.Tenants.Add(new EmulatorTenant(EmulatorDefaults.GuestTenantId, "Contoso", EmulatorDefaults.GuestTenantDomain));

        string[] both = [EmulatorDefaults.Organization, EmulatorDefaults.LabsOrganization];
        data.Users.Add(new EmulatorUser(Guid.Parse(EmulatorDefaults.AliceId), EmulatorDefaults.AliceUpn, "Alice Fabrikam", EmulatorDefaults.TenantId, both, []));
        data.Users.Add(new EmulatorUser(Guid.Parse(EmulatorDefaults.BobId), EmulatorDefaults.BobUpn, "Bob Fabrikam", EmulatorDefaults.TenantId, [EmulatorDefaults.Organization], []));
        data.Users.Add(new EmulatorUser(Guid.Parse(EmulatorDefaults.GuestId), EmulatorDefaults.GuestUpn, "Carol Contoso (Guest)", EmulatorDefaults.GuestTenantId, [EmulatorDefaults.Organization], [EmulatorDefaults.TenantId]));
        data.Users.Add(new EmulatorUser(Guid.Parse(EmulatorDefaults.OutsiderId), EmulatorDefaults.OutsiderUpn, "Dave Contoso", EmulatorDefaults.GuestTenantId, [], []));

        var projects = new List<EmulatorProject>
        {
            Project(EmulatorDefaults.Organization, EmulatorDefaults.Project, "Fabrikam Fiber on Git", now),
            Project(EmulatorDefaults.Organization, EmulatorDefaults.TfvcProject, "Fabrikam Fiber on TFVC", now),
        };
        // Enough projects that the default page size of tests (e.g. $top=10) shows paging.
        for (var i = 1; i <= 25; i++)
        {
            projects.Add(Project(EmulatorDefaults.Organization, $"Fabrikam-Service-{i:00}", $"Fabrikam service number {i}", now));
        }

        data.Organizations.Add(new EmulatorOrganization(EmulatorDefaults.Organization, Guid.Parse(EmulatorDefaults.OrganizationId), EmulatorDefaults.TenantId, true, projects, []));
        data.Organizations.Add(new EmulatorOrganization(
            EmulatorDefaults.LabsOrganization,
            Guid.Parse(EmulatorDefaults.LabsOrganizationId),
            EmulatorDefaults.TenantId,
            true,
            [Project(EmulatorDefaults.LabsOrganization, "Labs-Experiments", "Experiments", now), Project(EmulatorDefaults.LabsOrganization, "Labs-Prototypes", "Prototypes", now)],
            []));

        var fabrikam = data.Organizations[0];
        GitSeed.Apply(data, fabrikam, now);
        WorkItemSeed.Apply(data, fabrikam, now);
        PipelineSeed.Apply(data, fabrikam, now);
    }

    public static EmulatorProject Project(string organization, string name, string description, DateTimeOffset now) =>
        new(Secrets.StableGuid($"project:{organization}:{name}".ToUpperInvariant()), name, description, "private", 1, now);
}
