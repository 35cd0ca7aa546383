namespace AdoBridge.Emulator;

// Bulk issuance for load tests: minting 100,000 grants through the sign-in pages would measure the pages, not AdoBridge.
public sealed partial class EmulatorState
{
    /// <summary>Grants <paramref name="count"/> consented, offline sign-ins of one user to one Entra app and returns their refresh tokens.</summary>
    public IReadOnlyList<string> IssueRefreshTokens(string clientId, string userPrincipalName, int count)
    {
        var user = FindUser(userPrincipalName) ?? throw new ArgumentException($"No user '{userPrincipalName}'.", nameof(userPrincipalName));
        AddConsent(user.Id, clientId);
        string[] scopes = ["user_impersonation"];
        var tokens = new List<string>(count);
        Write(d =>
        {
            var now = Now;
            for (var i = 0; i < count; i++)
            {
                var grant = new GrantRecord(Guid.NewGuid().ToString("N"), TokenKind.Entra, clientId, user.Id, user.TenantId, scopes, true, now, null);
                d.Grants[grant.Id] = grant;
                var token = Secrets.NewToken("emurt_", 64);
                d.RefreshTokens[Secrets.Hash(token)] = new RefreshTokenRecord(grant.Id, now);
                tokens.Add(token);
            }
        });
        return tokens;
    }
}
