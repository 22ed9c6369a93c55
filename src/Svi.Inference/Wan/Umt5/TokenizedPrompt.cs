namespace Svi.Inference.Wan.Umt5;

/// <summary>A prompt as the encoder takes it: <c>TextLength</c> ids (EOS-terminated, then padding) and the mask.</summary>
/// <param name="Length">real tokens including the EOS; ids past it are the pad id and mask 0</param>
public sealed record TokenizedPrompt(long[] Ids, long[] Mask, int Length);
