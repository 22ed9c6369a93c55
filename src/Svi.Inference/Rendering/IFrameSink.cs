namespace Svi.Inference.Rendering;

/// <summary>Receives each finished clip's kept frames as RGB bytes, in order; persists them before returning.</summary>
public interface IFrameSink
{
    void Accept(int clip, RgbFrames frames);
}
