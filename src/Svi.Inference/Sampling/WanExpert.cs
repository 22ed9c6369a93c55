namespace Svi.Inference.Sampling;

/// <summary>Which expert of a Wan 2.2 A14B mixture denoises a step.</summary>
public enum WanExpert { HighNoise, LowNoise }
