using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Svi.Server.Contracts;
using Svi.Server.Hosting;

namespace Svi.Server.Api;

/// <summary>
/// The OpenAPI document lists the sizes this deployment renders (<see cref="DeploymentResolutions"/>) as the enum of
/// the native <c>resolution</c> and OpenAI <c>size</c> fields, so a tiny random-weight deployment does not advertise 720p.
/// </summary>
public static class OpenApiDeploymentSizes
{
    public static OpenApiOptions AddDeploymentSizes(this OpenApiOptions options) => options.AddSchemaTransformer((schema, context, _) =>
    {
        if (context.JsonPropertyInfo is { } field && IsSizeField(field.DeclaringType, field.Name))
        {
            var sizes = context.ApplicationServices.GetRequiredService<DeploymentResolutions>().Supported;
            var defaultSize = context.ApplicationServices.GetRequiredService<IOptions<SviOptions>>().Value.DefaultResolution;
            schema.Enum = [.. sizes.Select(s => (JsonNode)JsonValue.Create(s))];
            // The field is nullable (an explicit null means the default); a strict validator checks the enum too.
            if (schema.Type is { } type && type.HasFlag(JsonSchemaType.Null)) schema.Enum.Add(JsonNullSentinel.JsonNull);
            schema.Description = $"WIDTHxHEIGHT, one of the sizes this deployment renders: {string.Join(", ", sizes)} (default {defaultSize}).";
        }
        return Task.CompletedTask;
    });

    static bool IsSizeField(Type body, string name) =>
        (body == typeof(NativeGenerationBody) && name == "resolution") || (body == typeof(OpenAiVideoBody) && name == "size");
}
