namespace Svi.Inference.Wan.Vae;

public enum ResampleMode { Upsample2d, Upsample3d, Downsample2d, Downsample3d }
