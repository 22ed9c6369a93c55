namespace Svi.Inference.Runtime;

public enum TextEncoderPlacement { Gpu, Cpu }
