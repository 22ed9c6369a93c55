namespace Svi.Inference.Interpolation;

/// <summary>Which ONNX Runtime execution provider a session runs on.</summary>
public enum OnnxExecutionProvider { Cpu, Cuda }
