using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.Client;

/// <summary>The client tests share one sandbox AdoBridge: each test uses its own end users, apps and environment, and one start-up keeps the suite fast.</summary>
[CollectionDefinition(Name)]
public sealed class ClientTestsCollection : ICollectionFixture<SandboxServerFixture>
{
    public const string Name = "AdoBridge client";
}
