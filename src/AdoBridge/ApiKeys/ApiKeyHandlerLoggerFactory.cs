namespace AdoBridge.ApiKeys;

/// <summary>
/// Hands <see cref="ApiKeyAuthenticationHandler"/>, which ASP.NET Core creates for every request, a logger made once.
/// The handler's base class asks its logger factory for a logger in its constructor, and LoggerFactory takes a
/// process-wide lock for each such call: under load every request queued on it.
/// </summary>
internal sealed class ApiKeyHandlerLoggerFactory(ILoggerFactory factory) : ILoggerFactory
{
    private readonly ILogger logger = factory.CreateLogger(typeof(ApiKeyAuthenticationHandler).FullName!);

    // The base class asks for its own type's name, which is the one logger held here.
    public ILogger CreateLogger(string categoryName)
        => categoryName == typeof(ApiKeyAuthenticationHandler).FullName ? logger : factory.CreateLogger(categoryName);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("Add logging providers to the application's logger factory.");

    // The application's factory belongs to the host, which disposes of it.
    public void Dispose()
    {
    }
}
