using System.Net;
using System.Text.Json;

namespace AdoBridge.IntegrationTests.Infrastructure;

public static class HttpAssertions
{
    /// <summary>Asserts the status and that the body is RFC 9457 problem details with the given code; returns the body.</summary>
    public static async Task<JsonElement> ShouldBeProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string? code = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, body);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", body);
        var json = JsonDocument.Parse(body).RootElement;
        json.GetProperty("status").GetInt32().ShouldBe((int)status);
        json.TryGetProperty("title", out _).ShouldBeTrue();
        json.GetProperty("code").GetString().ShouldNotBeNullOrEmpty();
        if (code is not null)
        {
            json.GetProperty("code").GetString().ShouldBe(code, body);
        }

        body.ShouldNotContain("   at ", Case.Sensitive, "a stack trace leaked");
        return json;
    }

    public static async Task<JsonElement> ShouldBeJsonAsync(this HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, body);
        return JsonDocument.Parse(body).RootElement;
    }
}
