namespace AdoBridge.Emulator;

/// <summary>
/// The `webHooks` consumer and its `httpRequest` action as Azure DevOps describes them (GET _apis/hooks/consumers/webHooks,
/// MicrosoftDocs/vsts-rest-api-specs hooks 7.1): the inputs a subscription may set, and which are confidential. Only
/// basicAuthPassword is (inputMode passwordBox); httpHeaders is shown in clear to anyone who can read subscriptions.
/// </summary>
internal static class WebHooksConsumer
{
    public const string Id = "webHooks";
    public const string ActionId = "httpRequest";

    /// <summary>What Azure DevOps shows in place of a confidential input's value when a subscription is read.</summary>
    public const string Mask = "********";

    private const string BasicAuthNote = "Basic HTTP authentication sends credentials in plain text (unencrypted) which means you should use a URL beginning with \"https\" to enable encryption of these credentials via secure transport layer (SSL).";

    private sealed record Input(string Id, string Name, string Description, string InputMode, bool IsConfidential, Dictionary<string, object> Validation, string[]? Values = null);

    private static readonly Input[] Inputs =
    [
        new("url", "URL", "The URL to which an HTTP POST will be sent.", "textBox", false, new() { ["dataType"] = "uri", ["isRequired"] = true }),
        new("httpHeaders", "HTTP headers", "HTTP header keys and values separated by a colon(e.g. \"Key1:value1\") with each key-value-pair appearing on its own line of text.",
            "textArea", false, new() { ["dataType"] = "string", ["pattern"] = "^([\\S]+[\\s]*:[\\s]*[\\S]+[\\s]*[\r\n\f]+)*?([\\S]+[\\s]*:[\\s]*[\\S]+)+$" }),
        new("basicAuthUsername", "Basic authentication username", "Enter a username for standard HTTP authentication.  " + BasicAuthNote,
            "textBox", false, new() { ["dataType"] = "string", ["pattern"] = "^[\\S]+$", ["minLength"] = 1, ["maxLength"] = 256 }),
        new("basicAuthPassword", "Basic authentication password", "Enter a password for standard HTTP authentication.  " + BasicAuthNote,
            "passwordBox", true, new() { ["dataType"] = "string", ["pattern"] = "^[\\S]+$", ["minLength"] = 1, ["maxLength"] = 256 }),
        new("resourceDetailsToSend", "Resource details to send", "Control the resource fields to send", "combo", false, new() { ["dataType"] = "string" }, ["", "minimal", "none"]),
        new("messagesToSend", "Messages to send", "Control the messages to send", "combo", false, new() { ["dataType"] = "string" }, ["", "text", "html", "markdown", "none"]),
        new("detailedMessagesToSend", "Detailed messages to send", "Control the detailed messages to send", "combo", false, new() { ["dataType"] = "string" }, ["", "text", "html", "markdown", "none"]),
    ];

    /// <summary>Input ids whose values are never shown once stored.</summary>
    public static readonly IReadOnlySet<string> ConfidentialInputs = Inputs.Where(i => i.IsConfidential).Select(i => i.Id).ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>The consumer as GET _apis/hooks/consumers/webHooks answers.</summary>
    public static Dictionary<string, object?> Json(string orgUrl) => new()
    {
        ["id"] = Id,
        ["url"] = $"{orgUrl}/_apis/hooks/consumers/{Id}",
        ["name"] = "Web Hooks",
        ["description"] = "Provides event communication via HTTP",

        // Present and empty, as every consumer in the hooks 7.1 consumers example has it.
        ["imageUrl"] = string.Empty,
        ["informationUrl"] = "http://go.microsoft.com/fwlink/?LinkID=390531",
        ["authenticationType"] = "none",
        ["inputDescriptors"] = Array.Empty<object>(),
        ["actions"] = new object[]
        {
            new Dictionary<string, object?>
            {
                ["id"] = ActionId,
                ["consumerId"] = Id,
                ["url"] = $"{orgUrl}/_apis/hooks/consumers/{Id}/actions/{ActionId}",
                ["name"] = "Post via HTTP",
                ["description"] = "This action posts a JSON object representation of the event to the specified URL. Secure, HTTPS endpoints are recommended due to the potential for private data in the event payload. <a href='http://go.microsoft.com/fwlink/?LinkID=390531'>Learn More</a>",
                ["supportedEventTypes"] = new[] { "*" },
                ["supportedResourceVersions"] = new Dictionary<string, object>(),
                ["allowResourceVersionOverride"] = true,
                ["inputDescriptors"] = Inputs.Select(Descriptor).ToArray(),
            },
        },
    };

    /// <summary>Stored consumer inputs as a reader sees them: confidential values masked.</summary>
    public static Dictionary<string, string> Masked(IReadOnlyDictionary<string, string> inputs)
        => inputs.ToDictionary(p => p.Key, p => ConfidentialInputs.Contains(p.Key) && p.Value.Length > 0 ? Mask : p.Value, StringComparer.OrdinalIgnoreCase);

    private static Dictionary<string, object?> Descriptor(Input input)
    {
        var descriptor = new Dictionary<string, object?>
        {
            ["id"] = input.Id,
            ["name"] = input.Name,
            ["description"] = input.Description,
            ["inputMode"] = input.InputMode,
            ["isConfidential"] = input.IsConfidential,
            ["useInDefaultDescription"] = false,
            ["validation"] = input.Validation,
        };
        if (input.Values is { } values)
        {
            descriptor["values"] = new Dictionary<string, object>
            {
                ["inputId"] = input.Id,
                ["defaultValue"] = "",
                ["possibleValues"] = values.Select(v => new Dictionary<string, string> { ["value"] = v, ["displayValue"] = DisplayValue(v) }).ToArray(),
                ["isLimitedToPossibleValues"] = true,
            };
        }

        return descriptor;
    }

    private static string DisplayValue(string value) => value switch
    {
        "" => "All",
        "html" => "HTML",
        _ => char.ToUpperInvariant(value[0]) + value[1..],
    };
}
