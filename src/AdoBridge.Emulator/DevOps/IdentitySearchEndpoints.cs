using Microsoft.AspNetCore.Http;

namespace AdoBridge.Emulator;

/// <summary>Identities read (IMS) on vssps.dev.azure.com/{org}: searchFilter (General, AccountName, DisplayName,
/// MailAddress) with filterValue, or identityIds, descriptors or subjectDescriptors (ims/7.1 identities.json); members of
/// the organisation only.</summary>
internal static class IdentitySearchEndpoints
{
    private static readonly string[] Filters = ["General", "AccountName", "DisplayName", "MailAddress"];

    public static IResult Search(string organization, HttpContext http, EmulatorState state) =>
        DevOpsApi.Guarded(http, state, organization, "vso.identity", (_, org) =>
        {
            var q = http.Request.Query;
            string? filter = q["searchFilter"], value = q["filterValue"], ids = q["identityIds"], descriptors = q["descriptors"], subjects = q["subjectDescriptors"];
            var members = state.Read(d => d.Users.Where(u => u.Organizations.Contains(org!.Name, StringComparer.OrdinalIgnoreCase)).ToArray());
            IEnumerable<EmulatorUser> found;
            if (!string.IsNullOrEmpty(ids))
            {
                var wanted = ids.Split(',', StringSplitOptions.TrimEntries).Select(x => Guid.TryParse(x, out var g) ? g : Guid.Empty).ToHashSet();
                found = members.Where(u => wanted.Contains(u.Id));
            }
            else if (!string.IsNullOrEmpty(descriptors))
            {
                var wanted = descriptors.Split(',', StringSplitOptions.TrimEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);
                found = members.Where(u => wanted.Contains(Descriptor(u)));
            }
            else if (!string.IsNullOrEmpty(subjects))
            {
                var wanted = subjects.Split(',', StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
                found = members.Where(u => wanted.Contains(DevOpsJson.Descriptor(u.Id)));
            }
            else if (!string.IsNullOrEmpty(filter) && !string.IsNullOrEmpty(value))
            {
                var kind = Filters.FirstOrDefault(f => f.Equals(filter, StringComparison.OrdinalIgnoreCase));
                if (kind is null)
                {
                    return DevOpsRoutes.BadRequest($"The value '{filter}' is not a valid search filter. Use General, AccountName, DisplayName or MailAddress.", "ArgumentException");
                }

                found = members.Where(u => Matches(u, kind, value));
            }
            else
            {
                return DevOpsErrors.Json(StatusCodes.Status400BadRequest, "ArgumentException", "Exactly one of searchFilter with filterValue, identityIds, descriptors or subjectDescriptors must be specified.");
            }

            var list = found.Select(Identity).ToArray();
            return DevOpsJson.Ok(new { count = list.Length, value = list });
        });

    // General matches the start of the display name or of the account (e-mail) name, like the people picker.
    private static bool Matches(EmulatorUser u, string kind, string value) => kind switch
    {
        "AccountName" or "MailAddress" => u.UserPrincipalName.Equals(value, StringComparison.OrdinalIgnoreCase),
        "DisplayName" => u.DisplayName.Contains(value, StringComparison.OrdinalIgnoreCase),
        _ => u.UserPrincipalName.StartsWith(value, StringComparison.OrdinalIgnoreCase) || u.DisplayName.StartsWith(value, StringComparison.OrdinalIgnoreCase)
            || u.DisplayName.Split(' ').Any(w => w.StartsWith(value, StringComparison.OrdinalIgnoreCase)),
    };

    private static string Descriptor(EmulatorUser u) => $"Microsoft.IdentityModel.Claims.ClaimsIdentity;{u.TenantId}\\{u.UserPrincipalName}";

    private static Dictionary<string, object?> Identity(EmulatorUser u) => new()
    {
        ["id"] = u.Id,
        ["descriptor"] = Descriptor(u),
        ["subjectDescriptor"] = DevOpsJson.Descriptor(u.Id),
        ["providerDisplayName"] = u.DisplayName,
        ["isActive"] = true,
        ["isContainer"] = false,
        ["members"] = Array.Empty<object>(),
        ["memberOf"] = Array.Empty<object>(),
        ["memberIds"] = Array.Empty<object>(),
        ["properties"] = new Dictionary<string, object>
        {
            ["SchemaClassName"] = Prop("User"),
            ["Description"] = Prop(""),
            ["Domain"] = Prop(u.TenantId),
            ["Account"] = Prop(u.UserPrincipalName),
            ["Mail"] = Prop(u.UserPrincipalName),
        },
        ["resourceVersion"] = 2,
        ["metaTypeId"] = 0,
    };

    private static Dictionary<string, string> Prop(string value) => new() { ["$type"] = "System.String", ["$value"] = value };
}
