namespace Svi.Server.Storage;

/// <summary>A running generation's progress as stored.</summary>
/// <param name="Percent">0 … 100; 100 only once the MP4 is written</param>
/// <param name="Clip">index of the clip being worked on (the API's <c>clip</c>, kept for older clients)</param>
/// <param name="Stage">denoising, decoding, interpolating or encoding; null until the renderer reports (models loading)</param>
public sealed record GenerationProgress(double Percent, int Clip, int ClipsTotal, int ClipsCompleted, string? Stage);
