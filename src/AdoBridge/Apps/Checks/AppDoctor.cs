using AdoBridge.AzureDevOps;

namespace AdoBridge.Apps.Checks;

/// <summary>One check the doctor ran: what it found and, when something is wrong, the fix.</summary>
internal sealed record DoctorCheck(string Name, string Status, string Message, string? Fix = null)
{
    public const string Pass = "pass";
    public const string Warn = "warn";
    public const string Fail = "fail";
    public const string Skip = "skip";
}

internal sealed record DoctorReport(string App, string Verdict, IReadOnlyList<DoctorCheck> Checks)
{
    public string OneLine => Verdict switch
    {
        DoctorCheck.Pass => "ok",
        _ => $"{Verdict}: " + Checks.First(c => c.Status == (Verdict == DoctorCheck.Fail ? DoctorCheck.Fail : DoctorCheck.Warn)).Message,
    };
}

/// <summary>
/// Checks an app against the identity provider the way an admin would by hand: a client-credentials token request proves
/// tenant, client id and secret (or the managed identity, or the federated token); an authorize request proves the redirect
/// URI is registered. Errors become the fix.
/// </summary>
internal sealed class AppDoctor(IdentityClient identity, IHttpClientFactory http, AzureDevOpsHosts hosts, TimeProvider clock)
{
    public async Task<DoctorReport> ExamineAsync(ResolvedApp app, string? tenantOverride, CancellationToken ct)
    {
        var checks = app.Issues.Select(i => new DoctorCheck(i.Field, i.IsError ? DoctorCheck.Fail : DoctorCheck.Warn, i.Message, i.Fix)).ToList();
        if (app.IsValid)
        {
            if (app.Type is AppTypes.Entra or AppTypes.ServicePrincipal)
            {
                var secrets = LiveSecrets(app);
                if (secrets.Count > 1)
                {
                    // While a secret is rotated, both must work before the old one is retired: each is tried on its own.
                    foreach (var secret in secrets)
                    {
                        var single = app with { Definition = app.Definition.Clone() };
                        single.Definition.ClientSecret = null;
                        single.Definition.ClientSecrets = [secret];
                        var check = await CheckCredentialsAsync(single, tenantOverride, ct);
                        checks.Add(check with { Name = "credentials:" + secret.Id, Message = $"Secret {secret.Id}: {check.Message}" });
                    }
                }
                else
                {
                    checks.Add(await CheckCredentialsAsync(app, tenantOverride, ct));
                }
            }

            if (app.Type == AppTypes.Entra)
            {
                checks.Add(await CheckRedirectUriAsync(app, ct));
            }

            if (app.Type == AppTypes.Legacy)
            {
                checks.Add(new DoctorCheck("credentials", DoctorCheck.Skip, "Azure DevOps OAuth has no way to test an app secret without a user signing in.", "Connect once through the connect page to prove the secret."));
            }
        }

        if (checks.Count == 0)
        {
            checks.Add(new DoctorCheck("settings", DoctorCheck.Pass, "The settings are complete."));
        }

        var verdict = checks.Any(c => c.Status == DoctorCheck.Fail) ? DoctorCheck.Fail : checks.Any(c => c.Status == DoctorCheck.Warn) ? DoctorCheck.Warn : DoctorCheck.Pass;
        return new DoctorReport(app.Name, verdict, checks);
    }

    /// <summary>The client secrets a token request may use: those of a secret-based app that have not expired.</summary>
    private List<ClientSecretDefinition> LiveSecrets(ResolvedApp app)
    {
        if (AppCredential.KindOf(app.Definition) != AppCredentialKind.ClientSecret)
        {
            return [];
        }

        var now = clock.GetUtcNow();
        return app.Definition.AllSecrets.Where(s => s.ExpiresAt is not { } at || at > now)
            .Select(s => new ClientSecretDefinition { Id = s.Id, Value = s.Value, ExpiresAt = s.ExpiresAt }).ToList();
    }

    private async Task<DoctorCheck> CheckCredentialsAsync(ResolvedApp app, string? tenantOverride, CancellationToken ct)
    {
        var kind = AppCredential.KindOf(app.Definition);
        var tenant = tenantOverride ?? app.Definition.Tenant;
        if (kind != AppCredentialKind.ManagedIdentity && tenant is "common" or "organizations")
        {
            return new DoctorCheck("credentials", DoctorCheck.Skip, $"A token request needs a specific tenant, and this app signs in '{tenant}'.",
                "Run the doctor with ?tenant={your Directory (tenant) ID} to test the client id and secret.");
        }

        try
        {
            var probe = app with { Definition = app.Definition.Clone() };
            probe.Definition.Tenant = tenant;
            await identity.ClientCredentialsAsync(probe, ct);
            return new DoctorCheck("credentials", DoctorCheck.Pass, kind switch
            {
                AppCredentialKind.ManagedIdentity => $"The managed identity endpoint issued an Azure DevOps token for {AppCredential.Describe(app.Definition)}.",
                AppCredentialKind.FederatedToken => $"Microsoft accepted {AppCredential.Describe(app.Definition)} as the client assertion (token request to {tenant}).",
                _ => $"Microsoft accepted the tenant, client id and secret (token request to {tenant}).",
            });
        }
        catch (IdentityException e)
        {
            var (message, fix) = kind == AppCredentialKind.ClientSecret ? SecretFailure(e, tenant) : KeylessDoctor.Failure(e, app.Definition);
            return new DoctorCheck("credentials", DoctorCheck.Fail, $"{message} ({e.AadstsCode ?? e.Error})", fix);
        }
        catch (IdentityUnavailableException e) when (kind == AppCredentialKind.ManagedIdentity)
        {
            // Off Azure nothing answers at the managed identity address: that is a set-up mistake far more often than an outage.
            return new DoctorCheck("credentials", DoctorCheck.Fail, $"No managed identity could be reached: {e.Message}", KeylessDoctor.NoEndpointFix);
        }
        catch (IdentityUnavailableException e)
        {
            return new DoctorCheck("credentials", DoctorCheck.Warn, $"The identity provider could not be reached: {e.Message}", "Check network access to the authority host, then run the doctor again.");
        }
    }

    private static (string Message, string Fix) SecretFailure(IdentityException e, string? tenant) => e.AadstsCode switch
    {
        "AADSTS7000215" => ("Microsoft rejected the client secret: this looks like the secret ID or a wrong secret.",
            "In Certificates & secrets, paste the secret *value* (shown once, when the secret is created), not the Secret ID. If the value is gone, create a new secret."),
        "AADSTS7000222" => ("The client secret has expired.", "Create a new client secret in Certificates & secrets, add it to this app, then remove the expired one."),
        "AADSTS90002" => ($"Tenant '{tenant}' was not found.", "Copy the Directory (tenant) ID from the app registration's Overview page; check for sovereign clouds (authorityHost)."),
        "AADSTS700016" => ($"No app with this client id exists in tenant '{tenant}'.", "Copy the Application (client) ID from the Overview page, and make sure the tenant is the one the app is registered in."),
        "AADSTS7000218" => ("No client secret was sent.", "Add a client secret value to the app."),
        _ => ($"Microsoft refused the token request: {e.Description}", "Check the tenant, client id and secret against the app registration."),
    };

    private async Task<DoctorCheck> CheckRedirectUriAsync(ResolvedApp app, CancellationToken ct)
    {
        var url = hosts.Resolve(IdentityClient.Authority(app) + "/oauth2/v2.0/authorize") + "?client_id=" + Uri.EscapeDataString(app.Definition.ClientId!)
            + "&response_type=code&redirect_uri=" + Uri.EscapeDataString(app.RedirectUri) + "&scope=" + Uri.EscapeDataString(IdentityClient.EntraScopes(app))
            + "&state=adobridge-doctor&code_challenge=" + new string('A', 43) + "&code_challenge_method=S256";
        try
        {
            using var client = http.CreateClient(IdentityClient.HttpClientName);
            using var response = await client.GetAsync(url, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            if (body.Contains("AADSTS50011", StringComparison.Ordinal))
            {
                return new DoctorCheck("redirectUri", DoctorCheck.Fail, $"The redirect URI {app.RedirectUri} is not registered for this app (AADSTS50011).",
                    $"In the Azure portal, open the app registration → Authentication → Add a platform → Web, and add exactly: {app.RedirectUri}");
            }

            return new DoctorCheck("redirectUri", DoctorCheck.Pass, $"The sign-in page accepts the redirect URI {app.RedirectUri}.");
        }
        catch (HttpRequestException e)
        {
            return new DoctorCheck("redirectUri", DoctorCheck.Warn, $"The sign-in page could not be reached ({e.HttpRequestError}).", "Check network access to the authority host.");
        }
    }
}
