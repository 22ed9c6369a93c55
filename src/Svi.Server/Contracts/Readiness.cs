namespace Svi.Server.Contracts;

/// <summary><c>GET /readyz</c>.</summary>
/// <param name="Weights">files, or random: seeded random weights whose videos are noise</param>
/// <param name="Storage">the data volume's free bytes against the reserve; not ready below it</param>
public sealed record Readiness(string Status, string Database, string Model, ModelModes Modes, string Weights, StorageReadiness Storage);
