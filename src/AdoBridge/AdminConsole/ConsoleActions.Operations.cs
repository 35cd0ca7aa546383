namespace AdoBridge.AdminConsole;

/// <summary>The audit's names for what operators do on the connections, API keys and environments pages.</summary>
internal static partial class ConsoleActions
{
    public const string ReconnectLinkCreated = "console.reconnect_link_created";
    public const string SubscriptionChecked = "console.subscription_checked";
    public const string ConnectionDeleted = "console.connection_deleted";
    public const string ApiKeyCreated = "console.api_key_created";
    public const string ApiKeyRevoked = "console.api_key_revoked";
    public const string EnvironmentCreated = "console.environment_created";

    /// <summary>An action the console refused (role, environment or input); the detail says which and why.</summary>
    public const string Refused = "console.refused";
}
