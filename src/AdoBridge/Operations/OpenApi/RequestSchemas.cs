using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace AdoBridge.Operations.OpenApi;

/// <summary>
/// Request bodies say what the server needs: the generator marks every record parameter required and nullable, but AdoBridge's
/// request records take every field as optional and check the ones they need themselves (to answer with a message that names
/// the field). A field is required when it carries <see cref="RequiredAttribute"/>; an optional field is not nullable, since
/// null and absent mean the same. <see cref="AllowedValuesAttribute"/> on a field or query parameter becomes an enum.
/// </summary>
internal sealed class RequestSchemas : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonPropertyInfo is { AttributeProvider: { } property })
        {
            ApplyAllowedValues(schema, property.GetCustomAttributes(typeof(AllowedValuesAttribute), true).OfType<AllowedValuesAttribute>().FirstOrDefault());
        }
        else if (context.ParameterDescription is { Source: var source } parameter && source == BindingSource.Query)
        {
            ApplyAllowedValues(schema, AttributeOf(parameter));
        }

        if (context.ParameterDescription?.Source != BindingSource.Body || schema.Properties is null || context.JsonTypeInfo.Kind != System.Text.Json.Serialization.Metadata.JsonTypeInfoKind.Object)
        {
            return Task.CompletedTask;
        }

        var required = new HashSet<string>(StringComparer.Ordinal);
        foreach (var info in context.JsonTypeInfo.Properties)
        {
            if (!schema.Properties.TryGetValue(info.Name, out var propertySchema))
            {
                continue;
            }

            var isRequired = info.AttributeProvider?.IsDefined(typeof(RequiredAttribute), true) == true;
            if (isRequired)
            {
                required.Add(info.Name);
            }

            if (propertySchema is OpenApiSchema { Type: { } type } concrete && type.HasFlag(JsonSchemaType.Null) && type != JsonSchemaType.Null)
            {
                concrete.Type = type & ~JsonSchemaType.Null;
            }
        }

        schema.Required = required;
        return Task.CompletedTask;
    }

    private static AllowedValuesAttribute? AttributeOf(ApiParameterDescription parameter)
        => parameter.ParameterDescriptor is IParameterInfoParameterDescriptor { ParameterInfo: var info }
            ? info.GetCustomAttribute<AllowedValuesAttribute>()
            : null;

    private static void ApplyAllowedValues(OpenApiSchema schema, AllowedValuesAttribute? allowed)
    {
        if (allowed is null)
        {
            return;
        }

        schema.Enum = [.. allowed.Values.Where(v => v is not null).Select(v => (JsonNode)JsonValue.Create(v!.ToString()!))];
    }
}
