namespace Svi.Inference.Rendering;

/// <param name="Clips">the clips the output holds</param>
/// <param name="Frames">the frames the finished video has</param>
/// <param name="Mode">which path ran: <c>i2v</c>, <c>t2v-quality</c> or <c>t2v-fast</c></param>
public sealed record RenderOutcome(int Clips, int Frames, string Mode);
