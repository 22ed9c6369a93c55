namespace Svi.Server.Models;

/// <summary>A manifest under models/ is malformed; the message names the manifest and the entry.</summary>
public sealed class ManifestFormatException(string source, string problem) : Exception($"{source}: {problem}");
