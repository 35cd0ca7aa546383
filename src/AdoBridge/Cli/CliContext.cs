using System.CommandLine;
using AdoBridge.Cli.Output;
using AdoBridge.Cli.Profiles;
using AdoBridge.Client;

namespace AdoBridge.Cli;

/// <summary>
/// What a client command works with: the resolved server and key (profile, then ADOBRIDGE_URL / ADOBRIDGE_API_KEY on top),
/// the AdoBridge client over one HttpClient, and the output.
/// </summary>
internal sealed class CliContext : IDisposable
{
    public const string UrlVariable = "ADOBRIDGE_URL";
    public const string ApiKeyVariable = "ADOBRIDGE_API_KEY";
    public const string ProfileVariable = "ADOBRIDGE_PROFILE";
    public const string DefaultUrl = "http://127.0.0.1:5080";

    private readonly Lazy<HttpClient> http;
    private AdoBridgeClient? client;

    public CliContext(ParseResult parse)
    {
        Output = new CliOutput(GlobalOptions.FormatOf(parse), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error);
        Profiles = ProfileStore.ForCurrentUser();
        ProfileName = parse.GetValue(GlobalOptions.Profile) ?? NonEmpty(Environment.GetEnvironmentVariable(ProfileVariable));
        http = new Lazy<HttpClient>(() => new HttpClient { Timeout = TimeSpan.FromSeconds(100) });
    }

    public CliOutput Output { get; }

    public ProfileStore Profiles { get; }

    /// <summary>The profile named by --profile or ADOBRIDGE_PROFILE; null means the file's default.</summary>
    public string? ProfileName { get; }

    public HttpClient Http => http.Value;

    /// <summary>The server's base URL: ADOBRIDGE_URL, else the profile's, else the server's default local address.</summary>
    public Uri BaseUrl => Resolve().Url;

    /// <summary>The client for the resolved server and key; without a key, exits with the auth code and says how to log in.</summary>
    public AdoBridgeClient Client
    {
        get
        {
            if (client is not null)
            {
                return client;
            }

            var (url, key, name) = Resolve();
            if (string.IsNullOrEmpty(key))
            {
                throw new CliException(ExitCodes.Auth, "not_logged_in", $"No API key for {url} (profile '{name}').",
                    $"Run `adobridge login{(name == ProfileStore.DefaultName ? string.Empty : " --profile " + name)}` (the key from stdin or a prompt), or set {ApiKeyVariable}.");
            }

            client = new AdoBridgeClient(Http, new AdoBridgeClientOptions { BaseAddress = url, ApiKey = key });
            return client;
        }
    }

    public string ApiKey => Resolve().Key ?? throw new InvalidOperationException("Use Client first: it says how to log in.");

    public (Uri Url, string? Key, string Name) Resolve()
    {
        var file = Profiles.Load();
        var name = ProfileName ?? file.Default ?? ProfileStore.DefaultName;
        if (!file.Profiles.TryGetValue(name, out var profile) && ProfileName is not null && NonEmpty(Environment.GetEnvironmentVariable(UrlVariable)) is null)
        {
            throw new CliException(ExitCodes.NotFound, "profile_not_found", $"There is no profile '{name}' in {Profiles.Path}.",
                $"Create it with `adobridge login --profile {name} --url https://…`, or see `adobridge profiles list`.");
        }

        var url = NonEmpty(Environment.GetEnvironmentVariable(UrlVariable)) ?? profile?.Url ?? DefaultUrl;
        var key = NonEmpty(Environment.GetEnvironmentVariable(ApiKeyVariable)) ?? profile?.ApiKey;
        return (ParseUrl(url), key?.Trim(), name);
    }

    public static Uri ParseUrl(string url)
    {
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw CliException.Usage("invalid_url", $"'{url}' is not an http or https URL.", "Give AdoBridge's base URL, e.g. https://adobridge.contoso.com or http://127.0.0.1:5080.");
        }

        return uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
    }

    public void Dispose()
    {
        if (http.IsValueCreated)
        {
            http.Value.Dispose();
        }
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
