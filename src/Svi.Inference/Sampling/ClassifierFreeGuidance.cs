using static TorchSharp.torch;

namespace Svi.Inference.Sampling;

/// <summary>
/// Classifier-free guidance as both references apply it: negative + s·(positive − negative). At s = 1 that is
/// the positive prediction alone, so the negative pass is not run at all.
/// </summary>
public static class ClassifierFreeGuidance
{
    public static bool NeedsNegative(double scale) => scale != 1.0;

    // positive, negative: [B, C, F, H, W] → same
    public static Tensor Combine(Tensor positive, Tensor negative, double scale)
    {
        using var scope = NewDisposeScope();
        return (negative + scale * (positive - negative)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Runs the model once (scale 1) or twice (positive and negative context) and combines the two.
    /// </summary>
    /// <param name="model">context → velocity</param>
    public static Tensor Predict(Func<Tensor, Tensor> model, Tensor positiveContext, Tensor? negativeContext, double scale)
    {
        if (!NeedsNegative(scale)) return model(positiveContext);
        if (negativeContext is null)
            throw new ArgumentNullException(nameof(negativeContext), $"guidance scale {scale} needs a negative context");
        using var scope = NewDisposeScope();
        var positive = model(positiveContext);
        var negative = model(negativeContext);
        return Combine(positive, negative, scale).MoveToOuterDisposeScope();
    }
}
