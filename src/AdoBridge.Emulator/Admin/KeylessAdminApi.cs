using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AdoBridge.Emulator;

internal sealed record AssignManagedIdentityRequest(string? ClientId = null, string? TenantId = null, bool SystemAssigned = false, string? DisplayName = null);

internal sealed record TrustIssuerRequest(string Issuer, FederatedIssuerKey[]? Keys = null);

internal sealed record MintFederatedTokenRequest(string Issuer, string Subject, string? Audience = null, double? LifetimeSeconds = null);

internal sealed record AddFederatedCredentialRequest(string Name, string Issuer, string Subject, string[]? Audiences = null);

/// <summary>Admin API for keyless sign-in: managed identities of the emulated host, trusted issuers, federated credentials.</summary>
internal static class KeylessAdminApi
{
    public static void Map(RouteGroupBuilder admin)
    {
        admin.MapGet("/managed-identities", (HttpContext http, EmulatorState s) => Results.Json(new
        {
            // What an Azure host would put in the environment: IDENTITY_ENDPOINT, IDENTITY_HEADER, or the IMDS address.
            identityEndpoint = EmulatorUrls.Base(http) + ManagedIdentityApi.AppServicePath,
            identityHeader = s.ManagedIdentityHeader,
            imdsEndpoint = EmulatorUrls.Base(http) + "/" + ManagedIdentityApi.ImdsHost + ManagedIdentityApi.ImdsPath,
            identities = s.ManagedIdentities,
        }));
        admin.MapPost("/managed-identities", (AssignManagedIdentityRequest r, EmulatorState s) =>
        {
            var clientId = r.ClientId ?? Guid.NewGuid().ToString();
            var identity = s.AssignManagedIdentity(clientId, r.TenantId ?? EmulatorDefaults.TenantId, r.SystemAssigned, r.DisplayName ?? (r.SystemAssigned ? "system-assigned identity" : "user-assigned identity"));
            return Results.Json(identity, statusCode: StatusCodes.Status201Created);
        });

        admin.MapPost("/federated-issuers", (TrustIssuerRequest r, EmulatorState s) =>
        {
            if (string.IsNullOrWhiteSpace(r.Issuer))
            {
                throw new ArgumentException("Send 'issuer', e.g. the cluster's OIDC issuer URL.");
            }

            return Results.Json(s.TrustIssuer(r.Issuer, r.Keys), statusCode: StatusCodes.Status201Created);
        });
        admin.MapPost("/federated-issuers/token", (MintFederatedTokenRequest r, EmulatorState s) =>
        {
            var issuer = s.FindIssuer(r.Issuer) ?? throw new ArgumentException($"No trusted issuer '{r.Issuer}': POST /_admin/federated-issuers first.");
            var token = EntraFederation.Mint(issuer, r.Subject, r.Audience ?? EntraFederation.DefaultAudience, s.Now, TimeSpan.FromSeconds(r.LifetimeSeconds ?? 3600));
            return Results.Json(new { token });
        });

        admin.MapPost("/entra-apps/{clientId}/federated-credentials", (string clientId, AddFederatedCredentialRequest r, EmulatorState s) =>
            Results.Json(s.AddFederatedCredential(clientId, r.Name, r.Issuer, r.Subject, r.Audiences ?? [EntraFederation.DefaultAudience]), statusCode: StatusCodes.Status201Created));
        admin.MapDelete("/entra-apps/{clientId}/federated-credentials/{name}", (string clientId, string name, EmulatorState s) =>
        {
            s.RemoveFederatedCredential(clientId, name);
            return Results.NoContent();
        });
    }
}
