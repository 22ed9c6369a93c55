namespace Svi.Inference.Weights.Random;

/// <summary>What a random checkpoint stores its tensors as: the dtype a real file of that variant would hold.</summary>
public enum RandomStorage { Float32, BFloat16, Fp8Scaled }
