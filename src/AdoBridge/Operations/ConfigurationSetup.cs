namespace AdoBridge.Operations;

internal static class ConfigurationSetup
{
    public const string ConfigFileVariable = "ADOBRIDGE_CONFIG";
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>
    /// Layers, last wins: appsettings.json, the JSON file named by `ADOBRIDGE_CONFIG` (reloaded on change), environment
    /// variables, command-line arguments. Listens on 127.0.0.1:5080 unless `--urls` or `ASPNETCORE_URLS` says otherwise.
    /// </summary>
    public static WebApplicationBuilder AddAdoBridgeConfiguration(this WebApplicationBuilder builder, string[] args)
    {
        var file = builder.Configuration[ConfigFileVariable];
        if (!string.IsNullOrWhiteSpace(file))
        {
            var path = Path.GetFullPath(file.Trim());
            if (!File.Exists(path))
            {
                throw new InvalidOperationException($"{ConfigFileVariable} names {path}, which does not exist. Create the file (JSON, same shape as appsettings.json) or unset {ConfigFileVariable}.");
            }

            builder.Configuration.AddJsonFile(path, optional: false, reloadOnChange: true);

            // Environment variables and arguments still override the file, as with appsettings.json.
            builder.Configuration.AddEnvironmentVariables();
            builder.Configuration.AddCommandLine(args);
        }

        if (string.IsNullOrWhiteSpace(builder.Configuration["urls"]) && string.IsNullOrWhiteSpace(builder.Configuration["Kestrel:Endpoints:Http:Url"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        return builder;
    }
}
