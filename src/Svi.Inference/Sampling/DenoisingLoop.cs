namespace Svi.Inference.Sampling;

/// <summary>
/// The one denoising loop: for every step of the schedule, ask which expert runs at that step and timestep, predict the
/// guided velocity (<see cref="ClassifierFreeGuidance"/>) and take the sampler's step. The clip loop runs it with the
/// clip's condition channels; the text-to-video anchor frame runs it without.
/// </summary>
/// <param name="expert">the model for step i at timestep t</param>
/// <param name="cfg">guidance scale; 1 runs the positive context alone</param>
public sealed class DenoisingLoop(IFlowSampler schedule, Func<int, float, IVelocityModel> expert, double cfg)
{
    /// <summary>
    /// A guidance scale per expert instead of the one scale for every step (Wan 2.2 T2V guides its high-noise
    /// expert at 4.0 and its low-noise one at 3.0); null: the one scale throughout. Set <see cref="Guided"/> with it.
    /// </summary>
    public Func<IVelocityModel, double>? ExpertCfg { get; init; }

    /// <summary>Whether the negative context is used at all (some step's scale is not 1).</summary>
    public bool Guided { get; init; } = ClassifierFreeGuidance.NeedsNegative(cfg);

    /// <summary>
    /// With guidance, run both contexts as one batch-2 forward instead of two batch-1 forwards (same result; needs the
    /// activation memory of two samples, which the memory plan grants or not).
    /// </summary>
    public bool Batched { get; init; }

    /// <summary>
    /// Denoises <paramref name="x"/> through every step and returns the final state in the caller's dispose scope;
    /// <paramref name="x"/> itself is left to its owner. Throws <see cref="OperationCanceledException"/> before the
    /// next step once cancelled.
    /// </summary>
    /// <param name="x">[1, z, T, h, w], the initial noise, in the dtype and on the device the models run</param>
    /// <param name="condition">[1, c, T, h, w] concatenated after x on the channel axis before every forward, or null</param>
    /// <param name="positive">[1, Lc, text_dim]</param>
    /// <param name="negative">[1, Lc, text_dim]; needed when cfg ≠ 1</param>
    /// <param name="afterStep">sees the state after step i as (i + 1, x); nothing it receives outlives the call</param>
    public Tensor Run(Tensor x, Tensor? condition, Tensor positive, Tensor? negative, Action<int, Tensor>? afterStep,
        CancellationToken cancellationToken)
    {
        var current = x;
        for (int i = 0; i < schedule.Steps; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var stepScope = NewDisposeScope();
            float t = schedule.Timesteps[i];
            var model = expert(i, t);
            var input = condition is null ? current : cat([current, condition], 1);
            // The reference casts the timestep to the latent dtype before the DiT embeds it.
            var timestep = tensor(new[] { t }, ScalarType.Float32).to(current.dtype, current.device);
            double scale = ExpertCfg?.Invoke(model) ?? cfg;
            var velocity = Batched && ClassifierFreeGuidance.NeedsNegative(scale)
                ? ClassifierFreeGuidance.PredictBatched(model.Forward, input, timestep, positive, negative!, scale)
                : ClassifierFreeGuidance.Predict(context => model.Forward(input, timestep, context), positive, negative, scale);
            var next = schedule.Step(current, velocity, i).MoveToOuterDisposeScope();
            if (!ReferenceEquals(current, x)) current.Dispose();
            current = next;
            afterStep?.Invoke(i + 1, current);
        }
        return ReferenceEquals(current, x) ? current.alias() : current;
    }
}
