namespace Svi.Inference.Wan.Dit;

public enum MlpActivation { GeluTanh, Silu }
