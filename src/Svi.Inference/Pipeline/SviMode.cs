namespace Svi.Inference.Pipeline;

/// <summary>Which path a generation takes; recorded with the generation.</summary>
public enum SviMode { ImageToVideo, TextToVideoQuality, TextToVideoFast }
