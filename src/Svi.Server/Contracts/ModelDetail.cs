namespace Svi.Server.Contracts;

/// <summary><c>GET /v1/models/{id}</c>: OpenAI's model object plus the request parameters and what is installed.</summary>
/// <param name="ServedAs">the model an alias stands for</param>
/// <param name="Weights">files, or random: seeded random weights whose videos are noise (Svi:Inference:Weights)</param>
public sealed record ModelDetail(string Id, string Object, long Created, string OwnedBy, string ServedAs, string Description,
    IReadOnlyList<string> Endpoints, object Parameters, object OpenaiParameters, object Recipes, ModelModes Availability, string Weights);
