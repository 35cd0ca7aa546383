namespace AdoBridge.Emulator;

// Directory changes used by the admin API and tests: tenants, users, organisations, projects, policies, secrets.
public sealed partial class EmulatorState
{
    public EmulatorTenant AddTenant(string displayName, string domain, string? id = null)
    {
        var tenant = new EmulatorTenant(id ?? Guid.NewGuid().ToString(), displayName, domain);
        Write(d =>
        {
            d.Tenants.RemoveAll(t => t.Id == tenant.Id);
            d.Tenants.Add(tenant);
        });
        return tenant;
    }

    /// <summary>Adds a user (or replaces the one with the same UPN, keeping its id).</summary>
    public EmulatorUser AddUser(string userPrincipalName, string displayName, string tenantId, IEnumerable<string>? organizations = null, IEnumerable<string>? guestOfTenantIds = null, Guid? id = null) =>
        Write(d =>
        {
            if (FindTenantLocked(tenantId) is null)
            {
                throw new ArgumentException($"No tenant '{tenantId}'.", nameof(tenantId));
            }

            var existing = FindUserLocked(userPrincipalName);
            var user = new EmulatorUser(id ?? existing?.Id ?? Guid.NewGuid(), userPrincipalName, displayName, tenantId, (organizations ?? []).ToArray(), (guestOfTenantIds ?? []).ToArray());
            d.Users.RemoveAll(u => u.Id == user.Id || u == existing);
            d.Users.Add(user);
            return user;
        });

    public EmulatorOrganization AddOrganization(string name, string tenantId, bool oauthPolicyEnabled = true, Guid? id = null) =>
        Write(d =>
        {
            var existing = FindOrganizationLocked(name);
            var org = new EmulatorOrganization(name, id ?? existing?.Id ?? Guid.NewGuid(), tenantId, oauthPolicyEnabled, existing?.Projects ?? [], existing?.ServicePrincipalIds ?? []);
            ReplaceOrganizationLocked(existing, org);
            return org;
        });

    public EmulatorProject AddProject(string organization, string name, string? description = null) =>
        Write(d =>
        {
            var org = RequireOrganizationLocked(organization);
            var project = EmulatorSeed.Project(org.Name, name, description ?? string.Empty, Now);
            var projects = org.Projects.Where(p => !string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)).Append(project).ToArray();
            ReplaceOrganizationLocked(org, org with { Projects = projects });
            return project;
        });

    /// <summary>Turns the organisation policy "Third-party application access via OAuth" on or off.</summary>
    public void SetOAuthPolicy(string organization, bool enabled) => Write(_ =>
    {
        var org = RequireOrganizationLocked(organization);
        ReplaceOrganizationLocked(org, org with { OAuthPolicyEnabled = enabled });
    });

    /// <summary>Makes the organisation accept REST API versions up to <paramref name="latest"/> only, as an older Azure
    /// DevOps Server does ("5.0" for Server 2019, "6.0" for 2020); null for the service's own.</summary>
    public void SetLatestApiVersion(string organization, string? latest) => Write(_ =>
    {
        Version? parsed = null;
        if (latest is not null && !(Version.TryParse(latest, out parsed) && parsed.Build < 0 && parsed.Major > 0))
        {
            throw new ArgumentException($"'{latest}' is not a REST API version like 6.0.", nameof(latest));
        }

        var org = RequireOrganizationLocked(organization);
        ReplaceOrganizationLocked(org, org with { LatestApiVersion = parsed?.ToString(2) });
    });

    public void AddOrganizationMember(string organization, string userPrincipalName) => Write(d =>
    {
        var org = RequireOrganizationLocked(organization);
        var user = FindUserLocked(userPrincipalName) ?? throw new ArgumentException($"No user '{userPrincipalName}'.", nameof(userPrincipalName));
        if (!user.Organizations.Contains(org.Name, StringComparer.OrdinalIgnoreCase))
        {
            d.Users[d.Users.IndexOf(user)] = user with { Organizations = user.Organizations.Append(org.Name).ToArray() };
        }
    });

    /// <summary>Adds the service principal of an Entra app (in the organisation's tenant) to the organisation; returns its object id.</summary>
    public Guid AddServicePrincipalToOrganization(string organization, string clientId) => Write(_ =>
    {
        var org = RequireOrganizationLocked(organization);
        var spId = ServicePrincipalId(org.TenantId, clientId);
        if (!org.ServicePrincipalIds.Contains(spId))
        {
            ReplaceOrganizationLocked(org, org with { ServicePrincipalIds = org.ServicePrincipalIds.Append(spId).ToArray() });
        }

        return spId;
    });

    /// <summary>Object id of an app's service principal in a tenant (stable, so it can be added to organisations up front).</summary>
    public static Guid ServicePrincipalId(string tenantId, string clientId) =>
        Secrets.StableGuid($"sp:{tenantId}:{clientId}".ToUpperInvariant());

    /// <summary>Sets a client secret's expiry to now, so the token endpoint answers AADSTS7000222.</summary>
    public void ExpireClientSecret(string clientId, string secretId) => Write(d =>
    {
        var app = FindEntraAppLocked(clientId) ?? throw new ArgumentException($"No app '{clientId}'.", nameof(clientId));
        if (!app.Secrets.Any(s => s.SecretId == secretId))
        {
            throw new ArgumentException($"No secret '{secretId}'.", nameof(secretId));
        }

        var secrets = app.Secrets.Select(s => s.SecretId == secretId ? s with { ExpiresAt = Now.AddSeconds(-1) } : s).ToArray();
        d.EntraApps[d.EntraApps.IndexOf(app)] = app with { Secrets = secrets };
    });

    /// <summary>Revokes every grant of a user to a client (Entra or legacy): refresh fails (AADSTS50173 / 401) and its access tokens stop working.</summary>
    public int RevokeGrant(string userPrincipalName, string clientId) => Write(d =>
    {
        var user = FindUserLocked(userPrincipalName) ?? throw new ArgumentException($"No user '{userPrincipalName}'.", nameof(userPrincipalName));
        var revoked = 0;
        foreach (var grant in d.Grants.Values.Where(g => g.UserId == user.Id && string.Equals(g.ClientId, clientId, StringComparison.OrdinalIgnoreCase) && g.RevokedAt is null).ToArray())
        {
            d.Grants[grant.Id] = grant with { RevokedAt = Now };
            revoked++;
        }

        return revoked;
    });

    /// <summary>Removes the user's consent to a client: refresh gives AADSTS65001 and the next sign-in shows the consent page.</summary>
    public void RemoveConsent(string userPrincipalName, string clientId) => Write(d =>
    {
        var user = FindUserLocked(userPrincipalName) ?? throw new ArgumentException($"No user '{userPrincipalName}'.", nameof(userPrincipalName));
        d.Consents.RemoveAll(c => c.UserId == user.Id && string.Equals(c.ClientId, clientId, StringComparison.OrdinalIgnoreCase));
    });

    public EmulatorUser? FindUser(string userPrincipalName) => Read(_ => FindUserLocked(userPrincipalName));

    public EmulatorOrganization? FindOrganization(string name) => Read(_ => FindOrganizationLocked(name));

    internal EmulatorUser? FindUserLocked(string userPrincipalName) =>
        _data.Users.FirstOrDefault(u => string.Equals(u.UserPrincipalName, userPrincipalName, StringComparison.OrdinalIgnoreCase));

    internal EmulatorUser? FindUserLocked(Guid id) => _data.Users.FirstOrDefault(u => u.Id == id);

    internal EmulatorOrganization? FindOrganizationLocked(string name) =>
        _data.Organizations.FirstOrDefault(o => string.Equals(o.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>A tenant by id or domain.</summary>
    internal EmulatorTenant? FindTenantLocked(string idOrDomain) =>
        _data.Tenants.FirstOrDefault(t => string.Equals(t.Id, idOrDomain, StringComparison.OrdinalIgnoreCase) || string.Equals(t.Domain, idOrDomain, StringComparison.OrdinalIgnoreCase));

    internal EntraAppRegistration? FindEntraAppLocked(string clientId) =>
        _data.EntraApps.FirstOrDefault(a => string.Equals(a.ClientId, clientId, StringComparison.OrdinalIgnoreCase));

    internal LegacyAppRegistration? FindLegacyAppLocked(string appId) =>
        _data.LegacyApps.FirstOrDefault(a => string.Equals(a.AppId, appId, StringComparison.OrdinalIgnoreCase));

    private EmulatorOrganization RequireOrganizationLocked(string name) =>
        FindOrganizationLocked(name) ?? throw new ArgumentException($"No organization '{name}'.", nameof(name));

    private void ReplaceOrganizationLocked(EmulatorOrganization? existing, EmulatorOrganization replacement)
    {
        var index = existing is null ? -1 : _data.Organizations.IndexOf(existing);
        if (index >= 0)
        {
            _data.Organizations[index] = replacement;
        }
        else
        {
            _data.Organizations.Add(replacement);
        }
    }
}
