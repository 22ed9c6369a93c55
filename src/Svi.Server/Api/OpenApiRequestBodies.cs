using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Svi.Server.Api;

/// <summary>
/// Puts documented request bodies into the OpenAPI document, as JSON and as multipart (both are accepted). Only the
/// document changes: <c>Accepts</c> metadata would also make routing answer 415 outside our error format.
/// </summary>
public static class OpenApiRequestBodies
{
    public static RouteHandlerBuilder DocumentsBody<TBody>(this RouteHandlerBuilder endpoint) =>
        endpoint.WithMetadata(new DocumentedRequestBody(typeof(TBody)));

    public static OpenApiOptions AddRequestBodies(this OpenApiOptions options) => options.AddOperationTransformer(async (operation, context, ct) =>
    {
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<DocumentedRequestBody>().FirstOrDefault() is not { } documented)
            return;
        var schema = await context.GetOrCreateSchemaAsync(documented.Body, null, ct);
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new() { Schema = schema },
                ["multipart/form-data"] = new() { Schema = schema },
            },
        };
    });
}
