using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace AdoBridge.Emulator;

/// <summary>The emulator's HTML: plain forms with stable ids and data attributes, so both browser tests and
/// HttpClient-driven tests can follow them.</summary>
internal static class HtmlPages
{
    private const string Style = "body{font-family:Segoe UI,Arial,sans-serif;background:#f2f2f2}main{background:#fff;max-width:440px;margin:48px auto;padding:32px;box-shadow:0 2px 6px rgba(0,0,0,.2)}button{display:block;width:100%;margin:8px 0;padding:10px;text-align:left}.banner{color:#a4262c;font-size:12px}";

    public static string E(string? value) => WebUtility.HtmlEncode(value ?? string.Empty);

    public static IResult Page(string title, string body, int statusCode = StatusCodes.Status200OK)
    {
        var html = $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{E(title)}</title><style>{Style}</style></head>" +
                   $"<body><main><p class=\"banner\" id=\"emulator-banner\">Azure DevOps emulator: not a Microsoft service</p>{body}</main></body></html>";
        return Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, statusCode);
    }

    public static string Hidden(string name, string? value) => $"<input type=\"hidden\" name=\"{E(name)}\" value=\"{E(value)}\">";

    /// <summary>"Pick an account": one button per user, plus a free-text field for any other account.</summary>
    public static IResult PickAccount(string action, string pendingId, string appName, IEnumerable<EmulatorUser> users)
    {
        var sb = new StringBuilder();
        sb.Append($"<h1>Pick an account</h1><p id=\"app-name\">to continue to {E(appName)}</p>");
        sb.Append($"<form method=\"post\" action=\"{E(action)}\" id=\"pick-account\">{Hidden("ctx", pendingId)}");
        foreach (var user in users)
        {
            var id = "account-" + user.UserPrincipalName.Replace('@', '-').Replace('.', '-');
            sb.Append($"<button type=\"submit\" name=\"login\" value=\"{E(user.UserPrincipalName)}\" id=\"{E(id)}\" class=\"account\" data-upn=\"{E(user.UserPrincipalName)}\" data-user-id=\"{user.Id}\">");
            sb.Append($"{E(user.DisplayName)}<br><small>{E(user.UserPrincipalName)}</small></button>");
        }

        sb.Append("</form>");
        sb.Append($"<form method=\"post\" action=\"{E(action)}\" id=\"other-account\">{Hidden("ctx", pendingId)}");
        sb.Append("<label for=\"login\">Use another account</label><input type=\"email\" name=\"login\" id=\"login\">");
        sb.Append("<button type=\"submit\" id=\"other-account-next\">Next</button></form>");
        return Page("Sign in to your account", sb.ToString());
    }

    /// <summary>"Permissions requested" with Accept / Cancel.</summary>
    public static IResult Consent(string action, string pendingId, string appName, string userName, IEnumerable<string> permissions)
    {
        var sb = new StringBuilder();
        sb.Append($"<h1>Permissions requested</h1><p><span id=\"consent-app\">{E(appName)}</span> wants to access your data as <span id=\"consent-user\">{E(userName)}</span>.</p>");
        sb.Append("<p>This app would like to:</p><ul id=\"permissions\">");
        foreach (var permission in permissions)
        {
            sb.Append($"<li class=\"permission\">{E(permission)}</li>");
        }

        sb.Append("</ul>");
        sb.Append($"<form method=\"post\" action=\"{E(action)}\" id=\"consent-form\">{Hidden("ctx", pendingId)}");
        sb.Append("<button type=\"submit\" name=\"consent\" value=\"accept\" id=\"accept\">Accept</button>");
        sb.Append("<button type=\"submit\" name=\"consent\" value=\"cancel\" id=\"cancel\">Cancel</button></form>");
        return Page("Permissions requested", sb.ToString());
    }

    /// <summary>Entra's error page, for errors it cannot send back to the app (unknown tenant or app, bad redirect URI, wrong account).</summary>
    public static IResult EntraError(string code, string message, DateTimeOffset now, string correlationId)
    {
        var body = "<h1>Sign in</h1><p>Sorry, but we’re having trouble signing you in.</p>" +
                   $"<div id=\"error\" data-error-code=\"{E(code)}\"><p>Request Id: {Guid.NewGuid()}</p><p>Correlation Id: {E(correlationId)}</p>" +
                   $"<p>Timestamp: {now.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}</p><p id=\"error-message\">Message: {E(code)}: {E(message)}</p></div>";
        return Page("Sign in to your account", body, StatusCodes.Status400BadRequest);
    }

    /// <summary>response_mode=form_post: the browser posts the result to the redirect URI.</summary>
    public static IResult FormPost(string redirectUri, IEnumerable<KeyValuePair<string, string?>> fields)
    {
        var inputs = string.Concat(fields.Where(f => f.Value is not null).Select(f => Hidden(f.Key, f.Value)));
        var html = $"<!DOCTYPE html><html><head><title>Working...</title></head><body onload=\"document.forms[0].submit()\">" +
                   $"<form method=\"post\" action=\"{E(redirectUri)}\" id=\"form-post\">{inputs}<noscript><button type=\"submit\">Continue</button></noscript></form></body></html>";
        return Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8);
    }

    public static IResult LegacyError(string message) =>
        Page("Azure DevOps", $"<h1>Bad Request</h1><div id=\"error\" data-error-code=\"400\"><p id=\"error-message\">{E(message)}</p></div>", StatusCodes.Status400BadRequest);

    /// <summary>What Azure DevOps sends an API caller with no valid credential: a sign-in page with status 203.</summary>
    public static IResult DevOpsSignIn(string signInUrl) =>
        Page(
            "Azure DevOps Services | Sign In",
            $"<h1>Sign in</h1><p>Sign in to continue to Azure DevOps.</p><a id=\"sign-in\" href=\"{E(signInUrl)}\">Sign in</a>",
            StatusCodes.Status203NonAuthoritative);
}
