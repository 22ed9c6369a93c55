namespace Svi.Inference.Nn;

/// <summary>
/// The points in a forward where a layer's activations are at their most: its output made, its temporaries still
/// alive (a linear layer's output, attention, RoPE, norms). Layers <see cref="Mark"/> them and know nothing of who
/// listens; an observer is set from outside, on this thread, by whatever measures a forward (the runtime's
/// <c>LiveTensorMeter</c>). Without one a mark costs one thread-static read.
/// </summary>
public static class ActivationProbe
{
    [ThreadStatic] static Action? observer;

    public static void Mark() => observer?.Invoke();

    /// <summary>Calls <paramref name="onMark"/> at every mark on this thread until disposed (then the previous observer again).</summary>
    public static IDisposable Observe(Action onMark)
    {
        var previous = observer;
        observer = onMark;
        return new Restore(previous, onMark);
    }

    sealed class Restore(Action? previous, Action current) : IDisposable
    {
        public void Dispose()
        {
            if (ReferenceEquals(observer, current)) observer = previous;
        }
    }
}
