using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace AdoBridge.Emulator;

/// <summary>Applies a JSON Patch document (add, replace, remove, test on /fields/{name}, /rev, /relations/-) to a copy
/// of a work item's fields and relations, then checks the process rules unless bypassRules is set.</summary>
internal static class WorkItemPatch
{
    public sealed record Outcome(JsonObject Fields, List<JsonObject> Relations, IResult? Error);

    public static Outcome Apply(EmulatorData data, WorkItemData? existing, JsonElement patch, bool bypassRules)
    {
        var fields = existing is null ? new JsonObject() : WorkItemJson.Clone(existing.Fields);
        var relations = existing?.Relations.Select(r => (JsonObject)r.DeepClone()).ToList() ?? [];
        if (patch.ValueKind != JsonValueKind.Array)
        {
            return Fail(fields, relations, DevOpsRoutes.BadRequest("You must pass a valid patch document in the body of the request.", "VssPropertyValidationException"));
        }

        foreach (var operation in patch.EnumerateArray())
        {
            var op = (DevOpsJson.Str(operation, "op") ?? string.Empty).ToLowerInvariant();
            var path = DevOpsJson.Str(operation, "path") ?? string.Empty;
            var value = operation.TryGetProperty("value", out var v) ? v : default;
            if (op is not ("add" or "replace" or "remove" or "test"))
            {
                return Fail(fields, relations, DevOpsRoutes.BadRequest($"The operation '{op}' is not supported. Supported operations are add, replace, remove and test.", "VssPropertyValidationException"));
            }

            if (path.Equals("/rev", StringComparison.OrdinalIgnoreCase) || path.Equals("/id", StringComparison.OrdinalIgnoreCase))
            {
                var actual = path.Equals("/rev", StringComparison.OrdinalIgnoreCase) ? existing?.Rev ?? 0 : existing?.Id ?? 0;
                if (op != "test")
                {
                    return Fail(fields, relations, DevOpsRoutes.BadRequest($"The path '{path}' can only be used with the test operation.", "VssPropertyValidationException"));
                }

                if (DevOpsJson.Text(value) != actual.ToString(CultureInfo.InvariantCulture))
                {
                    // Observed on the service: a stale revision test is 412 Precondition Failed (microsoft/azure-devops-mcp#1526).
                    return Fail(fields, relations, DevOpsErrors.Json(StatusCodes.Status412PreconditionFailed, "WorkItemRevisionMismatchException", $"TF26071: This work item has been changed by someone else since you opened it. Test of '{path}' expected '{DevOpsJson.Text(value)}' but the current value is '{actual}'."));
                }

                continue;
            }

            if (path.StartsWith("/relations", StringComparison.OrdinalIgnoreCase))
            {
                if (ApplyRelation(op, path, value, relations) is { } relationError)
                {
                    return Fail(fields, relations, relationError);
                }

                continue;
            }

            if (!path.StartsWith("/fields/", StringComparison.OrdinalIgnoreCase))
            {
                return Fail(fields, relations, DevOpsRoutes.BadRequest($"The path '{path}' is not valid. Use /fields/{{referenceName}}, /relations/- or /rev.", "VssPropertyValidationException"));
            }

            var name = path["/fields/".Length..];
            var field = WorkItemFields.Find(name);
            if (field is null)
            {
                return Fail(fields, relations, DevOpsRoutes.BadRequest($"TF51535: Cannot find field {name}.", "WorkItemFieldInvalidException"));
            }

            if (op == "test")
            {
                var current = DevOpsJson.Text(fields[field.ReferenceName]);
                var (expected, _) = WorkItemFields.Coerce(data, field, value);
                if (!string.Equals(current, DevOpsJson.Text(expected), StringComparison.Ordinal))
                {
                    return Fail(fields, relations, DevOpsRoutes.BadRequest($"Test operation failed for field '{field.ReferenceName}': expected '{DevOpsJson.Text(expected)}', actual '{current}'.", "VssPropertyValidationException"));
                }

                continue;
            }

            if (field.ReadOnly || (!bypassRules && existing is not null && field.ReferenceName is "System.WorkItemType" or "System.TeamProject" or "System.CreatedDate" or "System.CreatedBy"))
            {
                return Fail(fields, relations, DevOpsRoutes.BadRequest($"TF401326: Invalid field status 'ReadOnly' for field '{field.ReferenceName}'.", "WorkItemFieldInvalidException"));
            }

            if (op == "remove")
            {
                fields.Remove(field.ReferenceName);
                continue;
            }

            var (coerced, error) = WorkItemFields.Coerce(data, field, value);
            if (error is not null)
            {
                return Fail(fields, relations, DevOpsRoutes.BadRequest(error, "WorkItemFieldInvalidException"));
            }

            if (coerced is null)
            {
                fields.Remove(field.ReferenceName);
            }
            else
            {
                fields[field.ReferenceName] = coerced;
            }
        }

        if (!bypassRules && Rules(fields) is { } ruleError)
        {
            return Fail(fields, relations, ruleError);
        }

        return new Outcome(fields, relations, null);
    }

    private static IResult? ApplyRelation(string op, string path, JsonElement value, List<JsonObject> relations)
    {
        if (op == "add" && path.Equals("/relations/-", StringComparison.OrdinalIgnoreCase) && value.ValueKind == JsonValueKind.Object && DevOpsJson.Str(value, "rel") is not null)
        {
            relations.Add(JsonNode.Parse(value.GetRawText())!.AsObject());
            return null;
        }

        if (op == "remove" && int.TryParse(path["/relations/".Length..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var index) && index >= 0 && index < relations.Count)
        {
            relations.RemoveAt(index);
            return null;
        }

        return DevOpsRoutes.BadRequest($"The relation operation '{op} {path}' is not valid.", "VssPropertyValidationException");
    }

    private static IResult? Rules(JsonObject fields)
    {
        if (string.IsNullOrWhiteSpace(DevOpsJson.Text(fields["System.Title"])))
        {
            return RuleError("System.Title", "Title", "Required, InvalidEmpty", "required, invalidEmpty");
        }

        var state = DevOpsJson.Text(fields["System.State"]);
        if (state is not null && !WorkItemFields.States.Contains(state, StringComparer.OrdinalIgnoreCase))
        {
            return RuleError("System.State", "State", "HasValues, LimitedToValues, AllowsOldValue, InvalidListValue", "hasValues, limitedToValues, allowsOldValue, invalidListValue");
        }

        return null;
    }

    /// <summary>The service's rule error: TF401320 with customProperties naming the field, its status flags and, in
    /// RuleValidationErrors, each rule that failed (clients read the field from there).</summary>
    private static IResult RuleError(string referenceName, string field, string codes, string flags)
    {
        var message = $"TF401320: Rule Error for field {field}. Error code: {codes}.";
        return DevOpsErrors.Json(StatusCodes.Status400BadRequest, "RuleValidationException", message, new Dictionary<string, object?>
        {
            ["FieldReferenceName"] = referenceName,
            ["FieldStatusFlags"] = flags,
            ["ErrorMessage"] = message,
            ["RuleValidationErrors"] = new[]
            {
                new Dictionary<string, object?> { ["fieldReferenceName"] = referenceName, ["fieldStatusFlags"] = flags, ["errorMessage"] = message, ["ruleValidationErrors"] = null },
            },
        }, 600171, 3200);
    }

    private static Outcome Fail(JsonObject fields, List<JsonObject> relations, IResult error) => new(fields, relations, error);
}
