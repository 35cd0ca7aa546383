using System.Text.Json;
using System.Text.Json.Serialization;
using AdoBridge.Cli.Commands;
using AdoBridge.Cli.Profiles;
using AdoBridge.Client;

namespace AdoBridge.Cli;

/// <summary>
/// JSON for what the CLI prints and keeps: camelCase with nulls written, as the server writes its answers, so `-o json`
/// has the API's shape.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(ProfileFile))]
[JsonSerializable(typeof(ItemList<ProfileView>))]
[JsonSerializable(typeof(Connection))]
[JsonSerializable(typeof(Page<Connection>))]
[JsonSerializable(typeof(AccessToken))]
[JsonSerializable(typeof(ConnectSession))]
[JsonSerializable(typeof(Page<AdoBridgeEvent>))]
[JsonSerializable(typeof(EventDetail))]
[JsonSerializable(typeof(ReplayResult))]
[JsonSerializable(typeof(ItemList<ReplayResult>))]
[JsonSerializable(typeof(Page<EventDelivery>))]
[JsonSerializable(typeof(WebhookEndpoint))]
[JsonSerializable(typeof(Page<WebhookEndpoint>))]
[JsonSerializable(typeof(WebhookEndpointWithSecret))]
[JsonSerializable(typeof(TestEventResult))]
[JsonSerializable(typeof(App))]
[JsonSerializable(typeof(ItemList<App>))]
[JsonSerializable(typeof(AppDefinition))]
[JsonSerializable(typeof(DoctorReport))]
[JsonSerializable(typeof(DoctorResult))]
[JsonSerializable(typeof(ItemList<ApiKey>))]
[JsonSerializable(typeof(CreatedApiKey))]
[JsonSerializable(typeof(AdoBridgeEnvironment))]
[JsonSerializable(typeof(ItemList<AdoBridgeEnvironment>))]
[JsonSerializable(typeof(SandboxTriggerResult))]
[JsonSerializable(typeof(ForwardLine))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(string))]
internal sealed partial class CliJsonContext : JsonSerializerContext
{
    /// <summary>One line per value, for output streamed to a pipe (`listen -o json`).</summary>
    public static CliJsonContext Compact { get; } = new(new JsonSerializerOptions(JsonSerializerDefaults.Web));
}

/// <summary>A list as the admin API answers it: <c>{"items": [...]}</c>.</summary>
internal sealed record ItemList<T>(IReadOnlyList<T> Items);
