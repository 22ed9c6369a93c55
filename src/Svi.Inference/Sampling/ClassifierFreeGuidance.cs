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

    /// <summary>
    /// Both contexts as one batch-2 forward, [positive; negative], so the weights are read once for both; the same
    /// result as <see cref="Predict"/>.
    /// </summary>
    /// <param name="model">(input, timestep, context) → velocity, batched on the first axis</param>
    /// <param name="input">[1, C, F, H, W]</param>
    /// <param name="timestep">[1]</param>
    /// <param name="positiveContext">[1, Lc, text_dim]</param>
    /// <param name="negativeContext">[1, Lc, text_dim]</param>
    public static Tensor PredictBatched(Func<Tensor, Tensor, Tensor, Tensor> model, Tensor input, Tensor timestep,
        Tensor positiveContext, Tensor negativeContext, double scale)
    {
        using var scope = NewDisposeScope();
        var both = model(cat([input, input], 0), cat([timestep, timestep], 0), cat([positiveContext, negativeContext], 0));
        return Combine(both.narrow(0, 0, 1), both.narrow(0, 1, 1), scale).MoveToOuterDisposeScope();
    }
}
