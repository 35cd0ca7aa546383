namespace AdoBridge.AzureDevOps;

/// <summary>
/// Reads the client assertion of workload identity federation from its file. Read on every token request, never cached:
/// Kubernetes rewrites a projected service-account token before it expires (about hourly), and an old copy would be refused.
/// </summary>
internal static class FederatedTokenFile
{
    public const string Unreadable = "federated_token_unreadable";

    public static async Task<string> ReadAsync(string path, CancellationToken ct)
    {
        string text;
        try
        {
            text = await File.ReadAllTextAsync(path, ct);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new IdentityException(400, Unreadable, null, $"The federated token file '{path}' does not exist.");
        }
        catch (UnauthorizedAccessException)
        {
            throw new IdentityException(400, Unreadable, null, $"AdoBridge may not read the federated token file '{path}' (permission denied).");
        }
        catch (IOException e)
        {
            throw new IdentityException(400, Unreadable, null, $"The federated token file '{path}' could not be read ({e.GetType().Name}).");
        }

        // A trailing newline is common when the file is written by hand or by a script; the token itself has no whitespace.
        var token = text.Trim();
        return token.Length > 0 ? token : throw new IdentityException(400, Unreadable, null, $"The federated token file '{path}' is empty.");
    }
}
