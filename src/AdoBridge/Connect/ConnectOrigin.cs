using AdoBridge.Hosting;
using Microsoft.Extensions.Options;

namespace AdoBridge.Connect;

/// <summary>
/// Cross-site request forgery defence for the connect pages' POSTs: a browser says where a form came from in `Origin`
/// (the pages' `Referrer-Policy: same-origin` keeps it sent, not "null"), and only AdoBridge's own pages may post.
/// </summary>
internal static class ConnectOrigin
{
    public static IResult? Check(HttpContext http)
    {
        var request = http.Request;
        string? origin = request.Headers.Origin;
        if (string.IsNullOrEmpty(origin))
        {
            // No Origin: not a browser form post (browsers send Origin on every POST), unless Fetch Metadata says it
            // came from another site. A forged cross-site post always comes through a browser, so this refuses none.
            string? site = request.Headers["Sec-Fetch-Site"];
            return site is null or "same-origin" or "none" ? null : Refuse(http);
        }

        if (SameOrigin(origin, $"{request.Scheme}://{request.Host}"))
        {
            return null;
        }

        var publicBase = http.RequestServices.GetRequiredService<PublicUrls>().BaseUrl;
        return SameOrigin(origin, publicBase) ? null : Refuse(http);
    }

    private static bool SameOrigin(string origin, string url)
        => Uri.TryCreate(origin, UriKind.Absolute, out var a) && Uri.TryCreate(url, UriKind.Absolute, out var b)
            && string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase)
            && a.Port == b.Port;

    private static IResult Refuse(HttpContext http)
    {
        var product = http.RequestServices.GetRequiredService<IOptionsMonitor<AdoBridgeOptions>>().CurrentValue.ProductName;
        return ConnectPages.Error("This request did not come from the connect page",
            "The form was sent from another website, so it was not accepted: only the connect page itself may continue a connect flow.",
            $"Open the connect link {product} gave you and continue there.", null, null, product, StatusCodes.Status403Forbidden);
    }
}
