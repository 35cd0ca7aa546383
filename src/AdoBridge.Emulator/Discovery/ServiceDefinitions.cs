namespace AdoBridge.Emulator;

/// <summary>The location service's ServiceDefinitions (connectionData?connectOptions=IncludeServices): one per resource
/// location the service answers (relative to its own URL), and one per resource area (LocationService2, fully qualified
/// at the area's host), as the .NET client's VssConnection caches them.</summary>
internal static class ServiceDefinitions
{
    public static object[] For(LocationHost host, string serviceOwner, string baseUrl, string? latest)
    {
        var locations = ResourceLocations.On(host).Select(l =>
        {
            var location = DiscoveryApi.Location(l, latest);
            return (object)new Dictionary<string, object?>
            {
                ["serviceType"] = l.Area,
                ["identifier"] = l.Id,
                ["displayName"] = l.ResourceName,
                ["relativeToSetting"] = "context",
                ["relativePath"] = "/" + l.RouteTemplate,
                ["description"] = "",
                ["serviceOwner"] = serviceOwner,
                ["locationMappings"] = Array.Empty<object>(),
                ["toolId"] = "Framework",
                ["status"] = "active",
                ["properties"] = new Dictionary<string, object>(),
                ["resourceVersion"] = l.ResourceVersion,
                ["minVersion"] = l.MinVersion,
                ["maxVersion"] = location["maxVersion"],
                ["releasedVersion"] = location["releasedVersion"],
            };
        });
        var areas = host == LocationHost.Organization
            ? ResourceLocations.Areas.Select(a => (object)new Dictionary<string, object?>
            {
                ["serviceType"] = "LocationService2",
                ["identifier"] = a.Id,
                ["displayName"] = a.Name,
                ["relativeToSetting"] = "fullyQualified",
                ["serviceOwner"] = serviceOwner,
                ["locationMappings"] = new[] { new Dictionary<string, object> { ["accessMappingMoniker"] = "HostGuidAccessMapping", ["location"] = AreaUrl(baseUrl, a) } },
                ["toolId"] = "Framework",
                ["status"] = "active",
                ["properties"] = new Dictionary<string, object>(),
                ["resourceVersion"] = 0,
                ["minVersion"] = "0.0",
                ["maxVersion"] = "0.0",
                ["releasedVersion"] = "0.0",
            })
            : [];
        return locations.Concat(areas).ToArray();
    }

    // The organisation's base URL ends with "{host}/{org}/"; an area on another host keeps the same emulator base.
    private static string AreaUrl(string orgBaseUrl, ResourceArea area)
    {
        var hostStart = orgBaseUrl.IndexOf("/" + EmulatorDefaults.DevOpsHost + "/", StringComparison.Ordinal);
        var emulatorBase = orgBaseUrl[..hostStart];
        var org = orgBaseUrl[(hostStart + EmulatorDefaults.DevOpsHost.Length + 2)..].TrimEnd('/');
        return $"{emulatorBase}/{area.Host.Replace("{org}", org, StringComparison.Ordinal)}/";
    }
}
