namespace Svi.Server.Contracts;

/// <summary><c>GET /healthz</c>.</summary>
public sealed record Liveness(string Status);
