namespace Svi.Inference.Wan.Dit;

/// <summary>
/// The time embedding <c>e</c> and its projection <c>e0</c>, kept as one row per distinct timestep plus the
/// row each token reads. With one timestep per sample that is B rows; with per-token timesteps (TI2V: the
/// first latent frame at 0) it is a handful of rows instead of one per token, so the time MLP runs on few rows
/// and no [B, L, 6·dim] tensor is held between blocks. Gathering a row gives the reference's per-token values
/// exactly. All fp32, as in the reference.
/// </summary>
public sealed class TimestepConditioning : IDisposable
{
    /// <param name="embedding">e: [U, dim]</param>
    /// <param name="projection">e0: [U, 6, dim]</param>
    /// <param name="rowOfToken">[B, Lt] int64, Lt = 1 (shared by all tokens) or L</param>
    public TimestepConditioning(Tensor embedding, Tensor projection, Tensor rowOfToken)
    {
        Embedding = embedding;
        Projection = projection;
        RowOfToken = rowOfToken;
    }

    public Tensor Embedding { get; }
    public Tensor Projection { get; }
    public Tensor RowOfToken { get; }
    public long Batch => RowOfToken.shape[0];
    public long TokensPerSample => RowOfToken.shape[1];

    /// <summary>
    /// The reference's timestep sinusoid: cosines then sines of t·10000^(−i/half), i &lt; half, in fp64, cast to fp32.
    /// </summary>
    // timesteps: [N] → [N, dim] fp32
    public static Tensor Sinusoid(Tensor timesteps, int dim)
    {
        using var scope = NewDisposeScope();
        int half = dim / 2;
        var position = timesteps.to(ScalarType.Float64).flatten();
        var frequencies = pow(10000.0, -arange(half, dtype: ScalarType.Float64, device: timesteps.device).div(half));
        var angles = outer(position, frequencies);
        return cat([angles.cos(), angles.sin()], 1).to(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Distinct timesteps and, per token, which one it uses. A batch whose samples share a timestep (guidance's
    /// positive and negative pass) gets one row, so <see cref="Shared"/> holds and the modulation fuses into the norm.
    /// </summary>
    // timestep: [B] or [B, L] → (values [U], rows [B, 1 or L])
    public static (Tensor Values, Tensor Rows) Distinct(Tensor timestep)
    {
        if (timestep.dim() is not (1 or 2)) throw new ArgumentException($"timestep must be [B] or [B, L], got [{string.Join(',', timestep.shape)}]");
        using var scope = NewDisposeScope();
        var (values, inverse, _) = unique(timestep.flatten(), sorted: true, return_inverse: true);
        var rows = inverse!.to(ScalarType.Int64).view(timestep.shape[0], timestep.dim() == 1 ? 1 : timestep.shape[1]);
        return (values.MoveToOuterDisposeScope(), rows.MoveToOuterDisposeScope());
    }

    /// <summary>Every token of every sample uses the same (single) row.</summary>
    public bool Shared => Embedding.shape[0] == 1;

    /// <summary>
    /// The values of a per-timestep table for the tokens: the row itself ([C]) when <see cref="Shared"/>, else
    /// gathered per token ([B, Lt, C]); both broadcast against [B, L, C].
    /// </summary>
    public Tensor PerToken(Tensor table) => Shared ? table[0] : Gather(table);

    /// <summary>Per-token view of rows of a table: [U, C] → [B, Lt, C].</summary>
    public Tensor Gather(Tensor table) =>
        table.index_select(0, RowOfToken.flatten()).view(Batch, TokensPerSample, table.shape[^1]);

    public void Dispose()
    {
        Embedding.Dispose();
        Projection.Dispose();
        RowOfToken.Dispose();
    }
}
