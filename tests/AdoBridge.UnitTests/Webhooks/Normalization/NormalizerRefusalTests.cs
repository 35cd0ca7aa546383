using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AdoBridge.Webhooks.Normalization;

namespace AdoBridge.UnitTests.Webhooks.Normalization;

public sealed class NormalizerRefusalTests
{
    [Theory]
    [InlineData("[]", "array")]
    [InlineData("\"git.push\"", "string")]
    [InlineData("42", "number")]
    [InlineData("null", "null")]
    public void NotAnObject_IsRefused(string json, string kind) =>
        HookSamples.Refuse(json).ShouldContain(kind);

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"eventType\":null,\"resource\":{}}")]
    [InlineData("{\"eventType\":12,\"resource\":{}}")]
    [InlineData("{\"eventType\":\"\",\"resource\":{}}")]
    public void MissingEventType_IsRefused(string json) =>
        HookSamples.Refuse(json).ShouldContain("no eventType");

    [Fact]
    public void UnknownEventType_IsRefused_NamingItAndWhatIsKnown()
    {
        var error = HookSamples.Refuse("{\"eventType\":\"message.posted\",\"resource\":{}}");

        error.ShouldContain("'message.posted'");
        error.ShouldContain("git.pullrequest.created");
    }

    [Fact]
    public void UnknownEventType_IsNotEchoedAtLength()
    {
        var error = HookSamples.Refuse(JsonSerializer.Serialize(new { eventType = new string('x', 5000), resource = new { } }));

        error.Length.ShouldBeLessThan(1000);
    }

    [Theory]
    [InlineData(null, "no resource")]
    [InlineData("null", "no resource")]
    [InlineData("[]", "array")]
    [InlineData("\"minimal\"", "string")]
    public void ResourceMissingOrNotAnObject_IsRefused(string? resource, string expected)
    {
        var json = resource is null ? "{\"eventType\":\"git.push\"}" : $"{{\"eventType\":\"git.push\",\"resource\":{resource}}}";

        HookSamples.Refuse(json).ShouldContain(expected);
    }

    [Theory]
    [InlineData("git.pullrequest.created.json", "git.push.json", "pullRequestId")]
    [InlineData("git.pullrequest.merged.json", "workitem.created.json", "pullRequestId")]
    [InlineData("ms.vss-code.git-pullrequest-comment-event.json", "git.pullrequest.created.json", "comment")]
    [InlineData("git.push.json", "workitem.created.json", "pushId")]
    [InlineData("workitem.created.json", "git.push.json", "work item id")]
    [InlineData("workitem.updated.v1.json", "git.push.json", "workItemId")]
    [InlineData("build.complete.json", "git.push.json", "build id")]
    [InlineData("tfvc.checkin.json", "git.push.json", "changesetId")]
    [InlineData("git.repo.created.json", "workitem.created.json", "repository")]
    [InlineData("git.repo.deleted.json", "git.push.json", "repositoryId")]
    [InlineData("git.repo.forked.json", "git.repo.created.json", "sourceRepository")]
    public void ResourceOfAnotherShape_IsRefused_SayingWhatIsMissing(string sample, string alien, string missing)
    {
        // The resource of a different event type: what a misrouted or hand-made body looks like.
        var body = HookSamples.Node(sample);
        body["resource"] = HookSamples.Node(alien)["resource"]!.DeepClone();

        var error = HookSamples.Refuse(body.ToJsonString());

        error.ShouldContain(missing);
        error.ShouldContain(body["eventType"]!.GetValue<string>());
    }

    [Fact]
    public void MinimalResourceDetails_AreRefused_WithTheFix()
    {
        // resourceDetailsToSend = minimal keeps only ids and urls: no repository, so nothing to name the event by.
        var error = HookSamples.Refuse("{\"eventType\":\"git.pullrequest.created\",\"resource\":{\"pullRequestId\":1,\"status\":\"active\",\"url\":\"https://dev.azure.com/fabrikam/_apis/git/pullRequests/1\"}}");

        error.ShouldContain("resourceDetailsToSend = all");
    }

    [Fact]
    public void EssentialsOfTheWrongKind_AreRefused()
    {
        var pr = HookSamples.Node("git.pullrequest.created.json");
        pr["resource"]!["pullRequestId"] = "1";
        HookSamples.Refuse(pr.ToJsonString()).ShouldContain("pullRequestId");

        pr = HookSamples.Node("git.pullrequest.created.json");
        pr["resource"]!["repository"] = "Fabrikam";
        HookSamples.Refuse(pr.ToJsonString()).ShouldContain("repository");
    }

    [Theory]
    [InlineData("\"eventType\": \"git.pullrequest.created\"", "\"eventType\": \"git.pullrequest.created\\uD800\"")]
    [InlineData("\"title\": \"my first pull request\"", "\"title\": \"my first \\uDC00 pull request\"")]
    public void UnpairedSurrogateEscapes_AreRefused_NotThrown(string find, string replace)
    {
        // JsonDocument accepts these escapes; reading them as .NET strings throws.
        var json = HookSamples.Text("git.pullrequest.created.json").Replace(find, replace, StringComparison.Ordinal);
        json.ShouldContain(replace);

        HookSamples.Refuse(json).ShouldContain("UTF-16");
    }

    [Fact]
    public void MutatedSamples_NeverThrow()
    {
        // Structural fuzzing: every sample, with members removed, replaced by values of other kinds, or emptied, many times.
        var random = new Random(20261122);
        JsonNode?[] replacements = [null, "", "x", 0, -1, 1.5, true, new JsonArray(), new JsonObject(), new JsonArray(1, "a", null), new JsonObject { ["id"] = 1 }];
        var runs = 0;
        foreach (var name in HookSamples.Names)
        {
            for (var i = 0; i < 300; i++)
            {
                var body = HookSamples.Node(name);
                var nodes = new List<(JsonNode Parent, string? Key, int Index)>();
                Collect(body, nodes);
                for (var m = random.Next(1, 6); m > 0; m--)
                {
                    var (parent, key, index) = nodes[random.Next(nodes.Count)];
                    var replacement = replacements[random.Next(replacements.Length)]?.DeepClone();
                    try
                    {
                        if (parent is JsonObject o && key is not null && o.ContainsKey(key))
                        {
                            if (random.Next(3) == 0)
                            {
                                o.Remove(key);
                            }
                            else
                            {
                                o[key] = replacement;
                            }
                        }
                        else if (parent is JsonArray a && index < a.Count)
                        {
                            a[index] = replacement;
                        }
                    }
                    catch (InvalidOperationException)
                    {
                        // A node detached by an earlier mutation of this round; pick another.
                    }
                }

                Run(body.ToJsonString());
                runs++;
            }
        }

        runs.ShouldBeGreaterThan(5000);
    }

    [Fact]
    public void TruncatedAndByteMutatedSamples_NeverThrow()
    {
        // Text fuzzing: cut each sample short (closing what is open so it still parses) and flip bytes; whatever parses is normalised.
        var random = new Random(7);
        foreach (var name in HookSamples.Names)
        {
            var text = HookSamples.Text(name);
            for (var cut = 1; cut < text.Length; cut += 37)
            {
                Run(Close(text[..cut]));
            }

            var bytes = Encoding.UTF8.GetBytes(text);
            for (var i = 0; i < 200; i++)
            {
                var copy = (byte[])bytes.Clone();
                for (var flips = random.Next(1, 4); flips > 0; flips--)
                {
                    copy[random.Next(copy.Length)] = (byte)"{}[]\":,0a-\\ n"[random.Next(13)];
                }

                Run(Encoding.UTF8.GetString(copy));
            }
        }
    }

    private static void Run(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            return; // not JSON: the ingest endpoint answers 400 before normalising
        }

        using (document)
        {
            var accepted = ServiceHookNormalizer.TryNormalize(document.RootElement, out var result, out var error);
            if (accepted)
            {
                result.ShouldNotBeNull();
                result.Data.ToJsonString().ShouldNotBeNullOrEmpty();
            }
            else
            {
                error.ShouldNotBeNullOrWhiteSpace();
            }
        }
    }

    private static void Collect(JsonNode node, List<(JsonNode, string?, int)> into)
    {
        if (node is JsonObject o)
        {
            foreach (var (key, child) in o)
            {
                into.Add((o, key, -1));
                if (child is not null)
                {
                    Collect(child, into);
                }
            }
        }
        else if (node is JsonArray a)
        {
            for (var i = 0; i < a.Count; i++)
            {
                into.Add((a, null, i));
                if (a[i] is { } child)
                {
                    Collect(child, into);
                }
            }
        }
    }

    // Closes open strings, arrays and objects of a prefix so that many prefixes still parse.
    private static string Close(string prefix)
    {
        var closers = new Stack<char>();
        var inString = false;
        for (var i = 0; i < prefix.Length; i++)
        {
            var c = prefix[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                }
            }
            else if (c == '"')
            {
                inString = true;
            }
            else if (c is '{' or '[')
            {
                closers.Push(c == '{' ? '}' : ']');
            }
            else if (c is '}' or ']' && closers.Count > 0)
            {
                closers.Pop();
            }
        }

        var result = new StringBuilder(prefix.TrimEnd(',', ':', ' ', '\n', '\r', '\\'));
        if (inString)
        {
            result.Append('"');
        }

        while (closers.Count > 0)
        {
            result.Append(closers.Pop());
        }

        return result.ToString();
    }
}
