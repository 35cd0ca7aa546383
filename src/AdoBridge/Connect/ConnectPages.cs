using System.Net;
using System.Text;

namespace AdoBridge.Connect;

/// <summary>The hosted connect pages end users see. Plain server-rendered HTML: no script needed, everything encoded.</summary>
internal static class ConnectPages
{
    private const string Style = """
        body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;background:#f5f6f8;margin:0;color:#1b1b1f}
        main{max-width:32rem;margin:3rem auto;background:#fff;border-radius:12px;padding:2rem 2.25rem;box-shadow:0 1px 4px #0002}
        h1{font-size:1.35rem;margin:0 0 1rem} p,li{line-height:1.5} .muted{color:#5f6368;font-size:.92rem}
        button,.button{display:inline-block;background:#0f6cbd;color:#fff;border:0;border-radius:6px;padding:.65rem 1.1rem;font-size:1rem;cursor:pointer;text-decoration:none;margin:.25rem .25rem .25rem 0}
        button.secondary,.button.secondary{background:#e8eaed;color:#1b1b1f}
        label{display:block;margin:.75rem 0 .25rem;font-weight:600} input[type=text],input[type=password]{width:100%;box-sizing:border-box;padding:.55rem;border:1px solid #c4c7cc;border-radius:6px;font-size:1rem}
        .org{display:flex;gap:.6rem;align-items:center;padding:.5rem;border:1px solid #e0e2e6;border-radius:6px;margin:.4rem 0;font-weight:400}
        .error{background:#fdecea;border-left:4px solid #c5221f;padding:.75rem 1rem;border-radius:4px}
        .note{background:#e8f0fe;border-left:4px solid #0f6cbd;padding:.75rem 1rem;border-radius:4px}
        button,input{font:inherit}
        hr{border:0;border-top:1px solid #e0e2e6;margin:1.5rem 0} code{background:#f1f3f4;padding:0 .25rem;border-radius:3px}
        """;

    public static string E(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);

    public static IResult Page(string title, string body, int status = StatusCodes.Status200OK)
    {
        var html = $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
            <meta name="referrer" content="same-origin"><title>{E(title)}</title><style>{Style}</style></head>
            <body><main>{body}</main></body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    /// <summary>An error the user can act on: what happened, what to do, and ways out.</summary>
    public static IResult Error(string title, string message, string? whatToDo, string? retryUrl, string? backUrl, string productName, int status = StatusCodes.Status400BadRequest)
    {
        var b = new StringBuilder();
        b.Append($"<h1>{E(title)}</h1><div class=\"error\" role=\"alert\" data-testid=\"connect-error\"><p>{E(message)}</p></div>");
        if (whatToDo is not null)
        {
            b.Append($"<p>{E(whatToDo)}</p>");
        }

        if (retryUrl is not null)
        {
            b.Append($"<a class=\"button\" href=\"{E(retryUrl)}\">Try again</a>");
        }

        if (backUrl is not null)
        {
            b.Append($"<a class=\"button secondary\" href=\"{E(backUrl)}\">Back to {E(productName)}</a>");
        }

        return Page(title, b.ToString(), status);
    }

    /// <summary>Plain words for what each Azure DevOps scope lets the product do.</summary>
    public static string DescribeScope(string scope) => scope.Split('/')[^1] switch
    {
        "user_impersonation" or ".default" => "Act as you in Azure DevOps: read and change code, pull requests, work items and pipelines you can reach",
        "vso.code" => "Read source code, commits and pull requests",
        "vso.code_write" => "Read and write code, create and update pull requests",
        "vso.code_status" => "Post build and analysis status on commits and pull requests",
        "vso.code_manage" or "vso.code_full" => "Manage repositories and their code",
        "vso.work" => "Read work items and queries",
        "vso.work_write" => "Read, create and update work items",
        "vso.work_full" => "Full access to work items",
        "vso.build" => "Read pipelines and builds",
        "vso.build_execute" => "Read and queue pipelines and builds",
        "vso.project" => "Read projects and teams",
        "vso.profile" => "Read your profile",
        "vso.threads_full" => "Read and write pull-request comments",
        "vso.hooks_write" => "Create service hooks (event notifications)",
        var other => other,
    };
}
