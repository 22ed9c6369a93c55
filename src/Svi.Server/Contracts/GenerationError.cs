namespace Svi.Server.Contracts;

public sealed record GenerationError(string Code, string Message);
