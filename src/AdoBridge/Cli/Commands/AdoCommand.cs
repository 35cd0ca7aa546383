using System.CommandLine;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AdoBridge.Cli.Output;
using AdoBridge.Client;

namespace AdoBridge.Cli.Commands;

/// <summary>
/// `adobridge ado CONNECTION METHOD PATH`: any Azure DevOps REST call through AdoBridge's proxy, as the connection (like
/// `gh api` or `az devops invoke`). The answer's body goes to stdout as it came (JSON indented on a terminal).
/// </summary>
internal static class AdoCommand
{
    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

    public static Command Create()
    {
        var connection = new Argument<string>("connection") { Description = "The connection's id (conn_…)." };
        var method = new Argument<string>("method") { Description = "GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS." };
        method.AcceptOnlyFromAmong(StringComparer.OrdinalIgnoreCase, Methods);
        var path = new Argument<string>("path") { Description = "The path under the organisation, e.g. _apis/projects or MyProject/_apis/git/repositories; ~vssps/… and other ~host paths name the host and organisation themselves." };
        var org = new Option<string?>("--org") { Description = "The organisation (default: the connection's only one).", HelpName = "name" };
        var data = new Option<string?>("--data", "-d") { Description = "The request body (JSON).", HelpName = "json" };
        var file = new Option<string?>("--file") { Description = "The request body from a file; - reads stdin.", HelpName = "path" };
        var headers = new Option<string[]>("--header", "-H") { Description = "An extra request header, 'Name: value' (repeatable).", HelpName = "header", AllowMultipleArgumentsPerToken = false };
        var apiVersion = new Option<string>("--api-version") { Description = "Added as ?api-version= when the path has none.", DefaultValueFactory = _ => "7.1", HelpName = "version" };
        var command = new Command("ado", """
            Calls any Azure DevOps REST API through the proxy, as the connection: AdoBridge adds the connection's credential,
            renews it when needed and honours throttling. Exit 0 on 2xx; otherwise the body is still printed and the exit
            code follows the status (3 for 401/403, 4 for 404, 5 for 409, 1 otherwise).
            """)
        {
            connection, method, path, org, data, file, headers, apiVersion,
        };
        command.Validators.Add(result =>
        {
            if (result.GetResult(data) is not null && result.GetResult(file) is not null)
            {
                result.AddError("Give the body with --data or --file, not both.");
            }
        });
        command.Action(async (context, parse, ct) =>
        {
            var client = context.Client;
            var id = parse.GetValue(connection)!;
            var target = await TargetAsync(client, id, parse.GetValue(path)!, parse.GetValue(org), parse.GetValue(apiVersion)!, ct);
            using var http = new HttpClient(client.Proxy(id).CreateHandler());
            using var request = new HttpRequestMessage(new HttpMethod(parse.GetValue(method)!.ToUpperInvariant()), target);
            var body = parse.GetValue(data) ?? (parse.GetValue(file) is { } f ? await InputFile.ReadAsync(f, ct) : null);
            if (body is not null)
            {
                // Work-item updates are JSON Patch documents (arrays) and need that media type.
                var mediaType = request.Method == HttpMethod.Patch && body.TrimStart().StartsWith('[') ? "application/json-patch+json" : "application/json";
                request.Content = new StringContent(body, Encoding.UTF8, mediaType);
            }

            foreach (var header in parse.GetValue(headers) ?? [])
            {
                AddHeader(request, header);
            }

            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            if (!response.IsSuccessStatusCode && IsAdoBridgeProblem(response))
            {
                // AdoBridge refused the call itself (unknown connection, bad key, needs_reauth): its problem, its code.
                throw await AdoBridgeApiException.FromResponseAsync(response, ct);
            }

            await WriteBodyAsync(context.Output, response, ct);
            if (!response.IsSuccessStatusCode)
            {
                CliErrors.Write(parse.InvocationConfiguration.Error, "azure_devops_error", $"Azure DevOps answered {(int)response.StatusCode} {response.ReasonPhrase} for {request.Method} {parse.GetValue(path)}.",
                    (int)response.StatusCode == 404 ? "Check the path, organisation and project (the body above says more)." : null);
                return ExitCodes.ForStatus((int)response.StatusCode);
            }

            return ExitCodes.Ok;
        });
        return command.WithExamples(
            "adobridge ado conn_01J… GET _apis/projects",
            "adobridge ado conn_01J… GET \"Fabrikam-Fiber-Git/_apis/git/repositories?api-version=7.1\" --org fabrikam",
            "adobridge ado conn_01J… POST Fabrikam-Fiber-Git/_apis/wit/wiql --data '{\"query\": \"SELECT [System.Id] FROM WorkItems\"}'",
            "adobridge ado conn_01J… PATCH _apis/wit/workitems/42 --file patch.json");
    }

    private static async Task<Uri> TargetAsync(AdoBridgeClient client, string id, string path, string? org, string apiVersion, CancellationToken ct)
    {
        path = path.TrimStart('/');
        var proxy = client.Proxy(id);
        Uri target;
        if (path.StartsWith('~'))
        {
            target = new Uri(proxy.BaseUrl, path);
        }
        else
        {
            if (org is null)
            {
                var organizations = (await client.Connections.GetAsync(id, ct)).Organizations;
                org = organizations.Count == 1 ? organizations[0]
                    : throw CliException.Usage("organization_required", $"Connection {id} reaches {(organizations.Count == 0 ? "no organisation" : string.Join(", ", organizations))}: say which with --org.",
                        "Add --org <organisation>.");
            }

            target = new Uri(proxy.OrganizationUrl(org).AbsoluteUri + "/" + path);
        }

        return target.Query.Contains("api-version=", StringComparison.OrdinalIgnoreCase)
            ? target
            : new Uri(target.AbsoluteUri + (target.Query.Length == 0 ? "?" : "&") + "api-version=" + Uri.EscapeDataString(apiVersion));
    }

    private static void AddHeader(HttpRequestMessage request, string header)
    {
        var colon = header.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            throw CliException.Usage("invalid_header", $"'{header}' is not a header: write it as 'Name: value'.");
        }

        var (name, value) = (header[..colon].Trim(), header[(colon + 1)..].Trim());
        if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase) && request.Content is not null)
        {
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(value);
        }
        else if (!request.Headers.TryAddWithoutValidation(name, value))
        {
            request.Content?.Headers.TryAddWithoutValidation(name, value);
        }
    }

    private static bool IsAdoBridgeProblem(HttpResponseMessage response)
        => response.Content.Headers.ContentType?.MediaType == "application/problem+json";

    private static async Task WriteBodyAsync(CliOutput output, HttpResponseMessage response, CancellationToken ct)
    {
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (Terminal.StdoutIsTerminal && mediaType is not null && mediaType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            try
            {
                using var document = JsonDocument.Parse(text);
                if (output.Format == OutputFormat.Yaml)
                {
                    output.Result(document.RootElement.Clone());
                }
                else
                {
                    await output.Stdout.WriteLineAsync(JsonText.Write(document.RootElement));
                }

                return;
            }
            catch (JsonException)
            {
                await output.Stdout.WriteAsync(text);
                return;
            }
        }

        await output.Stdout.FlushAsync(ct);
        await using var stdout = Console.OpenStandardOutput();
        await response.Content.CopyToAsync(stdout, ct);
    }
}
