using System.Text.Json.Serialization;

namespace Svi.Server.Contracts;

public sealed record ErrorBody([property: JsonPropertyName("error")] ErrorDetail Error);
