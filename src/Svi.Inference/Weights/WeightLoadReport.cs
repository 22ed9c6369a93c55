namespace Svi.Inference.Weights;

/// <summary>What a load did: the layout it used and how many tensors it placed each way.</summary>
public sealed record WeightLoadReport(string Path, KeyLayout Layout, int Copied, int Mapped, int KeptFp8, int DecodedFp8);
