using System.Text.Json;
using System.Text.Json.Serialization;

namespace AdoBridge.Client;

/// <summary>Source-generated JSON for every request and response: camelCase as the server writes it, nulls left out of requests.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Connection))]
[JsonSerializable(typeof(Page<Connection>))]
[JsonSerializable(typeof(CreateConnectionRequest))]
[JsonSerializable(typeof(AccessToken))]
[JsonSerializable(typeof(CreateConnectSessionRequest))]
[JsonSerializable(typeof(ConnectSession))]
[JsonSerializable(typeof(Page<AdoBridgeEvent>))]
[JsonSerializable(typeof(SandboxDetails))]
[JsonSerializable(typeof(App))]
[JsonSerializable(typeof(ItemList<App>))]
[JsonSerializable(typeof(AppDefinition))]
[JsonSerializable(typeof(DoctorReport))]
[JsonSerializable(typeof(ItemList<ApiKey>))]
[JsonSerializable(typeof(CreateApiKeyRequest))]
[JsonSerializable(typeof(CreatedApiKey))]
[JsonSerializable(typeof(ItemList<AdoBridgeEnvironment>))]
[JsonSerializable(typeof(AdoBridgeEnvironment))]
[JsonSerializable(typeof(CreateEnvironmentRequest))]
[JsonSerializable(typeof(MigrationReport))]
[JsonSerializable(typeof(RotatedEncryptionKey))]
internal sealed partial class AdoBridgeJsonContext : JsonSerializerContext;
