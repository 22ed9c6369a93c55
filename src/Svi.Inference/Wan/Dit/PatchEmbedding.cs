namespace Svi.Inference.Wan.Dit;

/// <summary>
/// The reference's patch embedding, a Conv3d whose kernel equals its stride, computed as what it is: each
/// non-overlapping pt×ph×pw patch flattened and multiplied by the kernel, one linear layer. Same parameters and
/// keys (<c>patch_embedding.weight</c> [dim, in, pt, ph, pw], <c>.bias</c> [dim]), same cost, and it avoids libtorch
/// 2.10's oneDNN conv3d, which is wrong for the I2V model's 36 input channels on AVX-512 BF16 CPUs
/// (docs/libtorch-onednn-conv.md).
/// </summary>
public sealed class PatchEmbedding : nn.Module
{
    readonly long[] patch;

    // Named as the checkpoint's keys: TorchSharp registers each field under its name.
    readonly TorchSharp.Modules.Parameter weight;
    readonly TorchSharp.Modules.Parameter bias;

    public PatchEmbedding(long inDim, long dim, IReadOnlyList<int> patchSize, ScalarType dtype) : base(nameof(PatchEmbedding))
    {
        patch = [patchSize[0], patchSize[1], patchSize[2]];
        weight = nn.Parameter(empty([dim, inDim, patch[0], patch[1], patch[2]], dtype: dtype), requires_grad: false);
        bias = nn.Parameter(zeros(dim, dtype: dtype), requires_grad: false);
        RegisterComponents();
    }

    // x: [B, in, F, H, W] → tokens [B, L, dim] in x's dtype (raster order frame → row → column) and the token grid
    public (Tensor Tokens, (long F, long H, long W) Grid) Forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], c = x.shape[1];
        (long F, long H, long W) grid = (x.shape[2] / patch[0], x.shape[3] / patch[1], x.shape[4] / patch[2]);
        // [B, C, F, pt, H, ph, W, pw] → [B, F, H, W, C, pt, ph, pw]: one row per token, in the kernel's (C, pt, ph, pw) order
        var patches = x.view(b, c, grid.F, patch[0], grid.H, patch[1], grid.W, patch[2])
            .permute(0, 2, 4, 6, 1, 3, 5, 7)
            .reshape(b, grid.F * grid.H * grid.W, c * patch[0] * patch[1] * patch[2]);
        var kernel = weight.to(x.dtype).view(weight.shape[0], -1);
        var tokens = nn.functional.linear(patches, kernel, bias.to(x.dtype));
        return (tokens.MoveToOuterDisposeScope(), grid);
    }
}
