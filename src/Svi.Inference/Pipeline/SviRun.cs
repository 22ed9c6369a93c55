namespace Svi.Inference.Pipeline;

/// <summary>One long video to render: the plan, the sampling, the anchor and where prompts come from.</summary>
/// <param name="AnchorLatent">[1, z, 1, h, w], the input image encoded alone</param>
public sealed record SviRun(ClipPlan Plan, SviSampling Sampling, long Seed, Tensor AnchorLatent, IClipContexts Contexts);
