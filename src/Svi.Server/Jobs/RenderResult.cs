namespace Svi.Server.Jobs;

/// <param name="Mode">which path ran: <c>i2v</c>, <c>t2v-quality</c> or <c>t2v-fast</c></param>
public sealed record RenderResult(string VideoPath, string ThumbnailPath, int Frames, string Mode);
