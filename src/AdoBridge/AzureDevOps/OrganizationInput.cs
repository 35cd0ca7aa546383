using System.Text.RegularExpressions;

namespace AdoBridge.AzureDevOps;

/// <summary>What a user typed as "organisation": a Services organisation name, or a Server collection URL.</summary>
internal sealed record OrganizationTarget(string? Organization, string? ServerUrl)
{
    public string BaseUrl => ServerUrl ?? AzureDevOpsHosts.OrganizationUrl(Organization!);
}

/// <summary>
/// Understands the forms people paste: `fabrikam`, `https://dev.azure.com/fabrikam/Project/_git/repo`,
/// `https://fabrikam.visualstudio.com/DefaultCollection`, and Server URLs such as `https://ado.contoso.com/tfs/DefaultCollection`.
/// </summary>
internal static partial class OrganizationInput
{
    public static bool TryParse(string? input, out OrganizationTarget target, out string error)
    {
        target = new OrganizationTarget(null, null);
        error = string.Empty;
        var text = input?.Trim() ?? string.Empty;
        if (text.Length == 0)
        {
            error = "Enter your organisation's name (as in https://dev.azure.com/{name}) or its URL.";
            return false;
        }

        if (!text.Contains("://", StringComparison.Ordinal))
        {
            if (OrganizationName().IsMatch(text))
            {
                target = new OrganizationTarget(text.ToLowerInvariant(), null);
                return true;
            }

            error = $"'{Short(text)}' is not an organisation name: use letters, digits and '-' as in https://dev.azure.com/{{name}}.";
            return false;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) || uri.UserInfo.Length > 0)
        {
            error = "That is not a valid http(s) URL.";
            return false;
        }

        var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (uri.Host.Equals("dev.azure.com", StringComparison.OrdinalIgnoreCase))
        {
            if (segments.Length == 0 || !OrganizationName().IsMatch(Uri.UnescapeDataString(segments[0])))
            {
                error = "A dev.azure.com URL must name the organisation: https://dev.azure.com/{organisation}.";
                return false;
            }

            target = new OrganizationTarget(Uri.UnescapeDataString(segments[0]).ToLowerInvariant(), null);
            return true;
        }

        if (uri.Host.EndsWith(".visualstudio.com", StringComparison.OrdinalIgnoreCase))
        {
            var name = uri.Host[..^".visualstudio.com".Length];
            if (!OrganizationName().IsMatch(name) || name.Contains('.', StringComparison.Ordinal))
            {
                error = "A visualstudio.com URL must look like https://{organisation}.visualstudio.com.";
                return false;
            }

            target = new OrganizationTarget(name.ToLowerInvariant(), null);
            return true;
        }

        if (segments.Length == 0)
        {
            error = "An Azure DevOps Server URL must include the collection, e.g. https://ado.contoso.com/tfs/DefaultCollection.";
            return false;
        }

        var collection = segments[0].Equals("tfs", StringComparison.OrdinalIgnoreCase) && segments.Length > 1 ? $"/{segments[0]}/{segments[1]}" : $"/{segments[0]}";
        target = new OrganizationTarget(null, $"{uri.Scheme}://{uri.Authority}{collection}");
        return true;
    }

    private static string Short(string value) => value.Length <= 40 ? value : value[..40] + "…";

    [GeneratedRegex("^[A-Za-z0-9]([A-Za-z0-9-]{0,48}[A-Za-z0-9])?$")]
    private static partial Regex OrganizationName();
}
