namespace Svi.Server.Contracts;

/// <summary><c>GET /v1/models</c>, in OpenAI's shape.</summary>
public sealed record ModelList(string Object, IReadOnlyList<ModelSummary> Data);

public sealed record ModelSummary(string Id, string Object, long Created, string OwnedBy);

/// <summary><c>GET /v1/models/{id}</c>: OpenAI's model object plus the request parameters and what is installed.</summary>
/// <param name="ServedAs">the model an alias stands for</param>
/// <param name="Weights">files, or random: seeded random weights whose videos are noise (Svi:Inference:Weights)</param>
public sealed record ModelDetail(string Id, string Object, long Created, string OwnedBy, string ServedAs, string Description,
    IReadOnlyList<string> Endpoints, object Parameters, object OpenaiParameters, object Recipes, ModelModes Availability, string Weights);

/// <summary>Which weight variant is installed and which generation modes it allows; what is missing and how to get it.</summary>
public sealed record ModelModes(string? Variant, bool ImageToVideo, bool TextToVideoFast, bool TextToVideoQuality,
    IReadOnlyList<string> Missing, string Hint, string Weights)
{
    public static ModelModes From(Svi.Inference.Runtime.ModelAvailability a) =>
        new(a.Variant, a.ImageToVideo, a.TextToVideoFast, a.TextToVideoQuality, a.Missing, a.Hint, a.Weights);
}

/// <summary><c>GET /readyz</c>.</summary>
/// <param name="Weights">files, or random: seeded random weights whose videos are noise</param>
public sealed record Readiness(string Status, string Database, string Model, ModelModes Modes, string Weights);

/// <summary><c>GET /healthz</c>.</summary>
public sealed record Liveness(string Status);
