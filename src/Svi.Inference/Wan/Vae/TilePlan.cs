namespace Svi.Inference.Wan.Vae;

/// <summary>
/// Where the tiles of a tiled decode lie and how their pixels are blended. Tiles are spread evenly so every
/// overlap is at least the requested one; along each axis the weight ramps of two neighbours cover exactly their
/// overlap and sum to one, so the separable 2-D weights form a partition of unity over the frame.
/// </summary>
public sealed class TilePlan
{
    TilePlan(IReadOnlyList<DecodeTile> tiles, long latentHeight, long latentWidth, long pixelsPerCell)
    {
        Tiles = tiles;
        LatentHeight = latentHeight;
        LatentWidth = latentWidth;
        PixelsPerCell = pixelsPerCell;
    }

    public IReadOnlyList<DecodeTile> Tiles { get; }
    public long LatentHeight { get; }
    public long LatentWidth { get; }
    public long PixelsPerCell { get; }

    /// <summary>The whole latent frame as one tile (weights all 1): the untiled decode.</summary>
    public static TilePlan Whole(long latentHeight, long latentWidth, long pixelsPerCell)
        => new([new DecodeTile(0, 0, latentHeight, latentWidth,
                Enumerable.Repeat(1f, (int)(latentHeight * pixelsPerCell)).ToArray(),
                Enumerable.Repeat(1f, (int)(latentWidth * pixelsPerCell)).ToArray())], latentHeight, latentWidth, pixelsPerCell);

    public static TilePlan Create(long latentHeight, long latentWidth, long pixelsPerCell, VaeTiling? tiling)
    {
        if (tiling is null) return Whole(latentHeight, latentWidth, pixelsPerCell);
        tiling.Validate();
        var rows = Spans(latentHeight, tiling.TileLatent, tiling.OverlapLatent);
        var columns = Spans(latentWidth, tiling.TileLatent, tiling.OverlapLatent);
        var rowWeights = Ramps(rows, pixelsPerCell);
        var columnWeights = Ramps(columns, pixelsPerCell);
        var tiles = new List<DecodeTile>();
        for (int r = 0; r < rows.Count; r++)
            for (int c = 0; c < columns.Count; c++)
                tiles.Add(new DecodeTile(rows[r].Start, columns[c].Start, rows[r].Length, columns[c].Length,
                    rowWeights[r], columnWeights[c]));
        return new TilePlan(tiles, latentHeight, latentWidth, pixelsPerCell);
    }

    /// <summary>[1, 1, 1, tileH·s, tileW·s] weights of one tile, for broadcasting over [B, C, T, H, W].</summary>
    public static Tensor Weights(DecodeTile tile, Device device)
    {
        var rows = tensor(tile.RowWeights, device: device).view(-1, 1);
        var columns = tensor(tile.ColumnWeights, device: device).view(1, -1);
        return (rows * columns).view(1, 1, 1, rows.shape[0], columns.shape[1]);
    }

    internal readonly record struct Span(long Start, long Length)
    {
        public long End => Start + Length;
    }

    // Evenly spread windows of `tile` cells covering `total`, neighbours overlapping by at least `overlap`.
    internal static List<Span> Spans(long total, long tile, long overlap)
    {
        if (tile >= total) return [new Span(0, total)];
        long count = (long)Math.Ceiling((double)(total - overlap) / (tile - overlap));
        var spans = new List<Span>();
        for (long i = 0; i < count; i++)
            spans.Add(new Span((long)Math.Round((double)i * (total - tile) / (count - 1)), tile));
        return spans;
    }

    // Per span, pixel weights rising over the overlap with the previous span and falling over the next one.
    static List<float[]> Ramps(List<Span> spans, long pixelsPerCell)
    {
        var ramps = new List<float[]>();
        for (int i = 0; i < spans.Count; i++)
        {
            long length = spans[i].Length * pixelsPerCell;
            long rise = i > 0 ? (spans[i - 1].End - spans[i].Start) * pixelsPerCell : 0;
            long fall = i < spans.Count - 1 ? (spans[i].End - spans[i + 1].Start) * pixelsPerCell : 0;
            var weights = new float[length];
            for (long p = 0; p < length; p++)
            {
                double w = 1.0;
                if (p < rise) w = Math.Min(w, (p + 1.0) / (rise + 1.0));
                if (p >= length - fall) w = Math.Min(w, (length - p) / (fall + 1.0));
                weights[p] = (float)w;
            }
            ramps.Add(weights);
        }
        return ramps;
    }
}
