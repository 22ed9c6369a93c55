namespace Svi.Server.Contracts;

/// <summary><c>GET /readyz</c>.</summary>
/// <param name="Weights">files, or random: seeded random weights whose videos are noise</param>
public sealed record Readiness(string Status, string Database, string Model, ModelModes Modes, string Weights);
