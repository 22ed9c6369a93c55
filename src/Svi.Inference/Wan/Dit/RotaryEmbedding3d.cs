using System.Collections.Concurrent;
using TorchSharp;
using static TorchSharp.torch;

namespace Svi.Inference.Wan.Dit;

/// <summary>
/// Wan's 3-D rotary position embedding. Of a head's d/2 channel pairs (2i, 2i+1), the first
/// d/2 − 2⌊d/6⌋ rotate by the frame index, the next ⌊d/6⌋ by the row, the last ⌊d/6⌋ by the column, each
/// part with its own frequencies θ^(−2j/d_part). Angles and their cos/sin are taken in fp64 as the reference
/// does, but once per grid: the rotation itself then runs in fp32, which differs from the reference's
/// complex128 product by rounding only.
/// </summary>
public sealed class RotaryEmbedding3d : IDisposable
{
    const double Theta = 10000;
    readonly double[][] inverseFrequencies;
    readonly ConcurrentDictionary<(long F, long H, long W, DeviceType Device, int Index), (Tensor Cos, Tensor Sin)> grids = new();

    public RotaryEmbedding3d(int headDim)
    {
        if (headDim % 2 != 0) throw new ArgumentException($"head dim {headDim} must be even", nameof(headDim));
        HeadDim = headDim;
        int spatial = 2 * (headDim / 6);
        inverseFrequencies = [Frequencies(headDim - 2 * spatial), Frequencies(spatial), Frequencies(spatial)];
    }

    public int HeadDim { get; }

    /// <summary>Channel pairs per axis (frame, row, column).</summary>
    public IReadOnlyList<int> PairsPerAxis => inverseFrequencies.Select(f => f.Length).ToArray();

    static double[] Frequencies(int partDim) =>
        Enumerable.Range(0, partDim / 2).Select(j => 1.0 / Math.Pow(Theta, 2.0 * j / partDim)).ToArray();

    /// <summary>The reference's table for positions 0 … positions − 1: [positions, d/2, 2] as (cos, sin), fp32.</summary>
    public Tensor Table(int positions)
    {
        using var scope = NewDisposeScope();
        var position = arange(positions, dtype: ScalarType.Float64).unsqueeze(1);
        var angles = cat(inverseFrequencies.Select(f => position * tensor(f, dtype: ScalarType.Float64)).ToArray(), 1);
        return stack([angles.cos(), angles.sin()], -1).to(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    /// <summary>cos and sin for every token of a grid in raster order (frame → row → column): [L, d/2] each, fp32.</summary>
    public (Tensor Cos, Tensor Sin) ForGrid(long frames, long height, long width, Device device)
        => grids.GetOrAdd((frames, height, width, device.type, device.index), _ => Build(frames, height, width, device));

    (Tensor Cos, Tensor Sin) Build(long frames, long height, long width, Device device)
    {
        using var scope = NewDisposeScope();
        long[] sizes = [frames, height, width];
        var parts = new Tensor[3];
        for (int axis = 0; axis < 3; axis++)
        {
            var angles = arange(sizes[axis], dtype: ScalarType.Float64).unsqueeze(1) *
                         tensor(inverseFrequencies[axis], dtype: ScalarType.Float64).unsqueeze(0);
            var shape = new long[] { 1, 1, 1, inverseFrequencies[axis].Length };
            shape[axis] = sizes[axis];
            parts[axis] = angles.view(shape).expand(frames, height, width, inverseFrequencies[axis].Length);
        }
        var all = cat(parts, -1).reshape(frames * height * width, HeadDim / 2);
        var cos = all.cos().to(ScalarType.Float32).to(device).DetachFromDisposeScope();
        var sin = all.sin().to(ScalarType.Float32).to(device).DetachFromDisposeScope();
        return (cos, sin);
    }

    // x: [B, L, heads, d] → [B, L, heads, d] fp32, each channel pair rotated by its token's angle
    public Tensor Apply(Tensor x, long frames, long height, long width)
    {
        using var scope = NewDisposeScope();
        var (cos, sin) = ForGrid(frames, height, width, x.device);
        long b = x.shape[0], l = x.shape[1], heads = x.shape[2];
        var pairs = x.to(ScalarType.Float32).view(b, l, heads, HeadDim / 2, 2);
        var even = pairs.select(-1, 0);
        var odd = pairs.select(-1, 1);
        var c = cos.view(1, l, 1, HeadDim / 2);
        var s = sin.view(1, l, 1, HeadDim / 2);
        var rotated = stack([even * c - odd * s, even * s + odd * c], -1);
        return rotated.view(b, l, heads, HeadDim).MoveToOuterDisposeScope();
    }

    /// <summary>Frees the cached per-grid tables.</summary>
    public void Dispose()
    {
        foreach (var (cos, sin) in grids.Values)
        {
            cos.Dispose();
            sin.Dispose();
        }
        grids.Clear();
    }
}
