using System.Text.Json;

namespace Svi.Inference.Wan.Umt5;

/// <summary>
/// Constructor numbers of the UMT5 encoder, as Wan's <c>T5Encoder</c> takes them. <c>SharedPos</c> false means
/// every block owns its relative position embedding (UMT5), true means one table for all blocks (T5 1.1).
/// </summary>
public sealed record Umt5Config(
    int Vocab, int Dim, int DimAttn, int DimFfn, int NumHeads, int NumLayers, int NumBuckets,
    bool SharedPos = false, int MaxDistance = 128, double Eps = 1e-6)
{
    /// <summary>umt5-xxl as Wan 2.1/2.2 use it (encoder half only).</summary>
    public static Umt5Config Xxl { get; } = new(
        Vocab: 256384, Dim: 4096, DimAttn: 4096, DimFfn: 10240, NumHeads: 64, NumLayers: 24, NumBuckets: 32);

    public int HeadDim => DimAttn / NumHeads;

    /// <summary>Reads a config.json in the reference's names (a golden set's); <c>shared_pos</c> may be left out (false).</summary>
    public static Umt5Config FromJson(JsonElement json)
    {
        int Int(string name) => json.GetProperty(name).GetInt32();
        return new Umt5Config(
            Vocab: Int("vocab"), Dim: Int("dim"), DimAttn: Int("dim_attn"), DimFfn: Int("dim_ffn"),
            NumHeads: Int("num_heads"), NumLayers: Int("num_layers"), NumBuckets: Int("num_buckets"),
            SharedPos: json.TryGetProperty("shared_pos", out var shared) && shared.GetBoolean());
    }

    public void Validate()
    {
        if (DimAttn % NumHeads != 0)
            throw new ArgumentException($"dim_attn {DimAttn} is not divisible by num_heads {NumHeads}");
        if (NumBuckets < 4 || NumLayers < 1 || Vocab < 1 || Dim < 1 || DimFfn < 1)
            throw new ArgumentException($"implausible UMT5 config {this}");
    }
}
