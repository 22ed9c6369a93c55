using System.Collections.Concurrent;
using Svi.Inference.Nn;
using TorchSharp;

namespace Svi.Inference.Wan.Dit;

/// <summary>
/// Wan's 3-D rotary position embedding. Of a head's d/2 channel pairs (2i, 2i+1), the first
/// d/2 − 2⌊d/6⌋ rotate by the frame index, the next ⌊d/6⌋ by the row, the last ⌊d/6⌋ by the column, each
/// part with its own frequencies θ^(−2j/d_part). Angles and their cos/sin are taken in fp64 as the reference
/// does, but once per grid: the rotation itself is a complex64 product, which differs from the reference's
/// complex128 one by rounding only.
/// </summary>
public sealed class RotaryEmbedding3d : IDisposable
{
    const double Theta = 10000;
    readonly double[][] inverseFrequencies;
    readonly ConcurrentDictionary<(long F, long H, long W, DeviceType Device, int Index), Tensor> grids = new();

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

    /// <summary>
    /// e^(iθ) for every token of a grid in raster order (frame → row → column): [L, d/2] complex64, built once per grid
    /// and device.
    /// </summary>
    public Tensor ForGrid(long frames, long height, long width, Device device)
        => grids.GetOrAdd((frames, height, width, device.type, device.index), _ => Build(frames, height, width, device));

    Tensor Build(long frames, long height, long width, Device device)
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
        var rotation = complex(all.cos().to(ScalarType.Float32), all.sin().to(ScalarType.Float32));
        return rotation.to(device).DetachFromDisposeScope();
    }

    /// <summary>
    /// Rotates each channel pair (2i, 2i+1) of every head by its token's angle: one complex multiply in fp32, so
    /// fp32 input takes a single pass. <paramref name="x"/> is given up: its storage may hold the result.
    /// </summary>
    // x: [B, L, heads, d] → [B, L, heads, d] in x's dtype
    public Tensor Rotate(Tensor x, (long F, long H, long W) grid)
    {
        using var scope = NewDisposeScope();
        var rotation = ForGrid(grid.F, grid.H, grid.W, x.device);
        long b = x.shape[0], l = x.shape[1], heads = x.shape[2];
        var dtype = x.dtype;
        var x32 = dtype == ScalarType.Float32 ? x.contiguous() : x.to(ScalarType.Float32);
        if (!ReferenceEquals(x32, x)) x.Dispose();
        var pairs = x32.view(b, l, heads, HeadDim / 2, 2).view_as_complex();
        pairs.mul_(rotation.view(1, l, 1, HeadDim / 2));
        var rotated = view_as_real(pairs).view(b, l, heads, HeadDim);
        if (dtype != ScalarType.Float32) rotated = rotated.to(dtype);
        ActivationProbe.Mark();
        return rotated.MoveToOuterDisposeScope();
    }

    /// <summary>Frees the cached per-grid tables.</summary>
    public void Dispose()
    {
        foreach (var rotation in grids.Values) rotation.Dispose();
        grids.Clear();
    }
}
