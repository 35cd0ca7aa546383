namespace AdoBridge.AzureDevOps;

/// <summary>A usable credential for a connection.</summary>
internal sealed record AccessToken(string Token, string Scheme, DateTimeOffset? ExpiresAt, int Version)
{
    private string? authorization;

    public DevOpsCredential Credential => Scheme == "Basic" ? DevOpsCredential.Pat(Token) : DevOpsCredential.Bearer(Token);

    /// <summary>The `Authorization` header value, built once per token: the proxy sends it on every request.</summary>
    public string AuthorizationHeader => authorization ??= Credential.Header().ToString();

    public override string ToString() => $"{Scheme} token (version {Version})";
}
