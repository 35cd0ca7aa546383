using System.Security.Claims;
using AdoBridge.ApiKeys;
using AdoBridge.RateLimiting;
using AdoBridge.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;

namespace AdoBridge.AdminConsole;

internal static class AdminConsoleServiceCollectionExtensions
{
    public static IServiceCollection AddAdminConsole(this IServiceCollection services)
    {
        services.AddSingleton<ConsoleAccounts>();
        services.AddSingleton<IRateLimitPage, ConsoleRateLimitPage>();
        services.AddSingleton<DatabaseXmlRepository>();
        services.AddSingleton<ConsoleOverview>();
        services.AddSingleton<ConsoleConnectionDetails>();
        services.AddOptions<ConsoleOidcOptions>().BindConfiguration(ConsoleOidcOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ConsoleOidcOptions>, ConsoleOidcOptionsValidator>();
        services.AddSingleton<ConsoleOidc>();
        services.AddHttpClient(ConsoleOidc.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30));
        services.AddDataProtection().SetApplicationName("AdoBridge");
        services.AddOptions<KeyManagementOptions>().Configure<DatabaseXmlRepository, SecretProtector>((o, repository, protector) =>
        {
            o.XmlRepository = repository;
            o.XmlEncryptor = new SealedXmlEncryptor(protector);
        });

        services.AddAuthentication().AddCookie(ConsoleAuth.Scheme, o =>
        {
            o.Cookie.Name = ConsoleAuth.CookieName;
            o.Cookie.Path = "/console";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.LoginPath = ConsoleAuth.SignInPath;
            o.AccessDeniedPath = ConsoleAuth.SignInPath;
            o.ReturnUrlParameter = "returnUrl";
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
            o.Events = new CookieAuthenticationEvents
            {
                // A removed account, or one whose role or environment changed, loses its sessions at their next request.
                OnValidatePrincipal = async context =>
                {
                    var user = context.Principal;
                    var id = user?.FindFirstValue(ClaimTypes.NameIdentifier);
                    var accounts = context.HttpContext.RequestServices.GetRequiredService<ConsoleAccounts>();
                    if (user is null || id is null || !await accounts.IsCurrentAsync(id, user.ConsoleRole(), user.ConsoleEnvironment(), context.HttpContext.RequestAborted))
                    {
                        context.RejectPrincipal();
                        await context.HttpContext.SignOutAsync(ConsoleAuth.Scheme);
                    }
                },
                // An htmx request whose session ended: send the whole page to sign-in, not the sign-in form into a fragment.
                OnRedirectToLogin = context =>
                {
                    if (context.Request.Headers.ContainsKey("HX-Request"))
                    {
                        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                        context.Response.Headers["HX-Redirect"] = context.RedirectUri;
                    }
                    else
                    {
                        context.Response.Redirect(context.RedirectUri);
                    }

                    return Task.CompletedTask;
                },
            };
        });
        services.AddAuthorizationBuilder().AddPolicy(ConsoleAuth.Policy, p => p.AddAuthenticationSchemes(ConsoleAuth.Scheme)
            .RequireAuthenticatedUser().RequireClaim(ConsoleAuth.RoleClaim, ApiKeyRoles.Owner, ApiKeyRoles.Admin));
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "adobridge_console_antiforgery";
            o.Cookie.Path = "/console";
            o.Cookie.SameSite = SameSiteMode.Strict;
        });
        services.AddRazorComponents();
        return services;
    }
}
