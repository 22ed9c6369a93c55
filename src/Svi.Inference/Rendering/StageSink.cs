using Svi.Inference.Pipeline;

namespace Svi.Inference.Rendering;

/// <summary>Says that a clip's frames enter <paramref name="stage"/> before handing them to <paramref name="inner"/>.</summary>
public sealed class StageSink(IFrameSink inner, RenderStage stage, Action<int, RenderStage> entered) : IFrameSink
{
    public void Accept(int clip, RgbFrames frames)
    {
        entered(clip, stage);
        inner.Accept(clip, frames);
    }
}
