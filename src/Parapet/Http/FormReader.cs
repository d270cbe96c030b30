using Microsoft.AspNetCore.Http.Features;
using Parapet.Protocol.Errors;
using Parapet.Protocol.Requests;

namespace Parapet.Http;

/// <summary>Reads a protocol request's parameters from the form body or the query, refusing repeats and oversize bodies.</summary>
internal static class FormReader
{
    public const long MaxBodyBytes = 64 * 1024;

    private static readonly FormOptions Limits = new() { ValueCountLimit = RequestParameters.MaxCount * 2, ValueLengthLimit = RequestParameters.MaxValueLength * 2 };

    public static async Task<Checked<RequestParameters>> ReadFormAsync(HttpContext http)
    {
        if (!http.Request.HasFormContentType || !(http.Request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) ?? false))
        {
            return OAuthErrors.FormContentTypeRequired();
        }
        if (http.Request.ContentLength > MaxBodyBytes)
        {
            return OAuthErrors.BodyTooLarge(MaxBodyBytes);
        }
        var sizeFeature = http.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = MaxBodyBytes;
        }
        IFormCollection form;
        try
        {
            form = await http.Request.ReadFormAsync(Limits, http.RequestAborted);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return OAuthErrors.BodyTooLarge(MaxBodyBytes);
        }
        catch (BadHttpRequestException)
        {
            // Kestrel's framing errors: the body ended before its Content-Length (a client that went away mid-request: a load
            // generator stopping does it by the dozen) or arrived below the minimum data rate. A bad request, not a server error.
            return OAuthErrors.BodyIncomplete();
        }
        catch (InvalidDataException)
        {
            return OAuthErrors.Request("The form body could not be read (too many or too long values).");
        }
        return RequestParameters.From(form);
    }

    public static Checked<RequestParameters> ReadQuery(HttpContext http) => RequestParameters.From(http.Request.Query);

    /// <summary>GET reads the query; POST reads the form (OIDC Core §3.1.2.1 allows both at /authorize).</summary>
    public static Task<Checked<RequestParameters>> ReadAsync(HttpContext http) =>
        HttpMethods.IsPost(http.Request.Method) ? ReadFormAsync(http) : Task.FromResult(ReadQuery(http));
}
