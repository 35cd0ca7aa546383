using Microsoft.AspNetCore.Http.HttpResults;

namespace AdoBridge.Security;

internal static class EncryptionKeysApi
{
    public static RouteGroupBuilder MapEncryptionKeysApi(this RouteGroupBuilder admin)
    {
        admin.MapPost("/encryption-keys/rotate", RotateAsync).WithTags("Security").RequireAuthorization(ApiKeys.ApiKeysServiceCollectionExtensions.OwnerPolicy)
            .WithName("rotateEncryptionKey").WithSummary("Rotate the data-encryption key")
            .WithDescription("Start sealing new secrets with a fresh data-encryption key. Existing secrets stay readable under their own key.");
        return admin;
    }

    internal sealed record RotatedKey(string ActiveKeyId);

    private static async Task<Ok<RotatedKey>> RotateAsync(SecretProtector protector, CancellationToken ct)
        => TypedResults.Ok(new RotatedKey(await protector.RotateAsync(ct)));
}
