namespace Svi.Inference.Wan.Umt5;

/// <summary>
/// T5's bidirectional relative position bias: the offset key − query falls into one of <c>num_buckets</c> buckets
/// (half for each direction; exact for small offsets, logarithmic up to <c>max_distance</c>, clamped beyond), and
/// each bucket holds one learned bias per head.
/// </summary>
public sealed class Umt5RelativePositionBias : nn.Module<long, Tensor>
{
    readonly int numBuckets;
    readonly int maxDistance;

    public Umt5RelativePositionBias(int numBuckets, int numHeads, int maxDistance, ScalarType dtype)
        : base(nameof(Umt5RelativePositionBias))
    {
        this.numBuckets = numBuckets;
        this.maxDistance = maxDistance;
        embedding = new Umt5Embedding(numBuckets, numHeads, dtype);
        RegisterComponents();
    }

    readonly Umt5Embedding embedding;

    // length L → [1, heads, L, L]
    public override Tensor forward(long length)
    {
        using var scope = NewDisposeScope();
        var device = embedding.Device;
        var offset = arange(length, dtype: ScalarType.Int64, device: device).unsqueeze(0)
                     - arange(length, dtype: ScalarType.Int64, device: device).unsqueeze(1);
        var bias = embedding.forward(Buckets(offset)).permute(2, 0, 1).unsqueeze(0);
        return bias.contiguous().MoveToOuterDisposeScope();
    }

    // offset: [Lq, Lk] int64 → bucket index [Lq, Lk] int64
    internal Tensor Buckets(Tensor offset)
    {
        int half = numBuckets / 2;
        int maxExact = half / 2;
        var direction = offset.gt(0).to(ScalarType.Int64) * half;
        var distance = offset.abs();
        // Same float32 operations as the reference so that offsets on a bucket boundary round the same way.
        var logarithmic = (distance.to(ScalarType.Float32) / maxExact).log()
                          / Math.Log((double)maxDistance / maxExact) * (half - maxExact);
        var large = (logarithmic.to(ScalarType.Int64) + maxExact).clamp_max(half - 1);
        return direction + where(distance.lt(maxExact), distance, large);
    }
}
