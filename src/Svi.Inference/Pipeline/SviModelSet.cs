using Svi.Inference.Text;
using Svi.Inference.Wan;

namespace Svi.Inference.Pipeline;

/// <summary>The models one generation runs, loaded once per job and freed with it.</summary>
public sealed class SviModelSet(ExpertPair experts, IVideoVae vae, ITextEncoder textEncoder, ExpertPair? anchorExperts,
    ScalarType dtype, Device device, IEnumerable<IDisposable> owned) : IDisposable
{
    readonly List<IDisposable> owned = owned.ToList();

    public ExpertPair Experts { get; } = experts;
    public IVideoVae Vae { get; } = vae;
    public ITextEncoder TextEncoder { get; } = textEncoder;
    public ExpertPair? AnchorExperts { get; } = anchorExperts;
    public ScalarType DType { get; } = dtype;
    public Device Device { get; } = device;
    /// <summary>Guidance runs both prompts as one batch-2 forward (the memory plan left room for it).</summary>
    public bool BatchedGuidance { get; init; }

    public void Dispose()
    {
        foreach (var item in owned) item.Dispose();
        owned.Clear();
    }
}
