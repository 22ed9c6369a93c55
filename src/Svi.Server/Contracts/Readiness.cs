namespace Svi.Server.Contracts;

/// <summary><c>GET /readyz</c>.</summary>
/// <param name="Weights">files, or random: seeded random weights whose videos are noise</param>
/// <param name="Fps32">whether <c>fps: 32</c> can be rendered here (ONNX Runtime and the RIFE file), and why not</param>
/// <param name="Storage">the data volume's free bytes against the reserve; not ready below it</param>
public sealed record Readiness(string Status, string Database, string Model, ModelModes Modes, string Weights, InterpolationSupport Fps32,
    StorageReadiness Storage);
