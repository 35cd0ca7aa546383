using System.Net.Http.Headers;
using System.Text;

namespace AdoBridge.AzureDevOps;

/// <summary>How a request to Azure DevOps authenticates: an OAuth bearer token or a PAT (Basic with an empty user name).</summary>
internal sealed record DevOpsCredential(string Scheme, string Secret)
{
    public static DevOpsCredential Bearer(string token) => new("Bearer", token);

    public static DevOpsCredential Pat(string pat) => new("Basic", pat);

    public AuthenticationHeaderValue Header()
        => Scheme == "Basic"
            ? new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes(":" + Secret)))
            : new AuthenticationHeaderValue("Bearer", Secret);

    // Never let a record's generated ToString print the secret into a log or exception.
    public override string ToString() => $"{Scheme} credential";
}
