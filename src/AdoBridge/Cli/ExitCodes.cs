namespace AdoBridge.Cli;

/// <summary>The CLI's exit codes: stable, documented in the README, and what scripts branch on.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what it was asked.</summary>
    public const int Ok = 0;

    /// <summary>Anything else: the server refused the input, could not be reached, or failed; doctor found a problem.</summary>
    public const int Error = 1;

    /// <summary>The command line was wrong (unknown command or option, missing argument) or the server refused its configuration.</summary>
    public const int Usage = 2;

    /// <summary>No API key, or the key was refused (401) or may not do this (403).</summary>
    public const int Auth = 3;

    /// <summary>What was named does not exist (404): connection, event, endpoint, app, key, profile.</summary>
    public const int NotFound = 4;

    /// <summary>The request conflicts with the current state (409), e.g. a connection that needs reconnecting.</summary>
    public const int Conflict = 5;

    /// <summary>The exit code for an HTTP status the server (or Azure DevOps through the proxy) answered.</summary>
    public static int ForStatus(int status) => status switch
    {
        401 or 403 => Auth,
        404 => NotFound,
        409 => Conflict,
        _ => Error,
    };
}
