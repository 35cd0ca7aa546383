using System.Text.Json;
using System.Text.Json.Serialization;
using AdoBridge.Client;

namespace AdoBridge.Cli.Commands;

/// <summary>Reading files the user wrote: a misspelt field is refused by name rather than silently dropped.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow, ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true)]
[JsonSerializable(typeof(AppDefinition))]
internal sealed partial class StrictJson : JsonSerializerContext;
