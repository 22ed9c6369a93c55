namespace Svi.Server.Contracts;

/// <summary><c>GET /v1/models</c>, in OpenAI's shape.</summary>
public sealed record ModelList(string Object, IReadOnlyList<ModelSummary> Data);
