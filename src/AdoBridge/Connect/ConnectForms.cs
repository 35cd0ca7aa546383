using Microsoft.AspNetCore.Http.Features;

namespace AdoBridge.Connect;

/// <summary>A form posted to a connect page, or the reason it could not be read, in words for the person who sent it.</summary>
internal sealed record ConnectForm(IFormCollection? Fields, string? Problem, int Status)
{
    /// <summary>The longest value any field on the connect pages can sensibly hold (organisation URLs, tokens, app names).</summary>
    public const int MaxValueLength = 2048;

    /// <summary>
    /// Reads the posted form. Anything a browser submitting our own pages would never send (another content type, broken
    /// multipart, over 1,024 fields, a control character in a value) is refused here with a message, never an exception.
    /// </summary>
    public static async Task<ConnectForm> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        if (!request.HasFormContentType)
        {
            return new ConnectForm(null, "This page accepts only what its own form sends (application/x-www-form-urlencoded or multipart/form-data), and this request carried something else.", StatusCodes.Status415UnsupportedMediaType);
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(ct);
        }
        catch (Exception e) when (e is InvalidDataException or InvalidOperationException or IOException or BadHttpRequestException or FormatException)
        {
            // InvalidDataException: too many fields or a value over the limits; the others: a damaged or cut-off body.
            var status = e is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest;
            return new ConnectForm(null, e is InvalidDataException
                ? $"The form sent has too many fields or a field that is too long (at most {new FormOptions().ValueCountLimit:N0} fields), so it was not read."
                : "The form sent could not be read: it is damaged or incomplete.", status);
        }

        foreach (var (name, values) in form)
        {
            foreach (var value in values)
            {
                if (value is { Length: > MaxValueLength })
                {
                    return new ConnectForm(form, $"The field '{Shorten(name)}' holds {value.Length:N0} characters; no field on this page takes more than {MaxValueLength:N0}.", StatusCodes.Status400BadRequest);
                }

                if (value is not null && value.Any(char.IsControl))
                {
                    return new ConnectForm(form, $"The field '{Shorten(name)}' contains a control character (such as a line break or a NUL byte), which no field on this page can hold. Type or paste the value again.", StatusCodes.Status400BadRequest);
                }
            }
        }

        return new ConnectForm(form, null, StatusCodes.Status200OK);
    }

    // Field names come from the sender: show enough to recognise one, and nothing that is not printable.
    private static string Shorten(string name)
    {
        var printable = new string(name.Where(c => !char.IsControl(c)).Take(40).ToArray());
        return printable.Length < name.Length ? printable + "…" : printable;
    }
}
