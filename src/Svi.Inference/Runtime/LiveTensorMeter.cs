using System.Reflection;
using System.Runtime.InteropServices;
using Svi.Inference.Nn;
using TorchSharp;

namespace Svi.Inference.Runtime;

/// <summary>
/// Measures the bytes of tensors alive in this thread's dispose scopes: every activation a forward makes lives in
/// one, while caches are detached from them. Build the model and its inputs outside any scope, or their bytes count too.
/// While a meter is started on the thread it observes the layers' <see cref="ActivationProbe"/> marks (right after each
/// large allocation): each adds up the distinct storages alive, so views are counted once, and keeps the peak.
/// </summary>
public sealed partial class LiveTensorMeter : IDisposable
{
    // TorchSharp 0.107 keeps the link from a scope to the one around it internal; reading it is the only way to see
    // every live scope of the thread.
    static readonly PropertyInfo OuterScope = typeof(DisposeScope).GetProperty("OuterScope", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)
        ?? throw new MissingMemberException(nameof(DisposeScope), "OuterScope");
    readonly IDisposable observing;

    LiveTensorMeter() => observing = ActivationProbe.Observe(Record);

    /// <summary>Starts measuring on this thread until disposed.</summary>
    public static LiveTensorMeter Start() => new();

    /// <summary>The most bytes alive at any sample since the start.</summary>
    public long PeakBytes { get; private set; }

    public int Samples { get; private set; }

    /// <summary>Bytes of the distinct storages of the live tensors in this thread's dispose scopes.</summary>
    public static long LiveBytes()
    {
        var storages = new Dictionary<IntPtr, long>();
        using var probe = NewDisposeScope();
        for (var scope = Outer(probe); scope is not null; scope = Outer(scope))
        {
            foreach (var item in scope.DisposablesView)
            {
                if (item is not Tensor tensor || tensor.IsInvalid) continue;
                storages[StorageDataPointer(tensor.Handle)] = (long)StorageBytes(tensor.Handle);
            }
        }
        return storages.Values.Sum();
    }

    // The storage behind a tensor handle, shared by all its views. TorchSharp's own Storage<T> converts the tensor to
    // T first, so it cannot tell views apart from copies; its native entry points take the handle as it is.
    [LibraryImport("LibTorchSharp", EntryPoint = "THSStorage_data_ptr")]
    private static partial IntPtr StorageDataPointer(IntPtr tensor);

    [LibraryImport("LibTorchSharp", EntryPoint = "THSStorage_nbytes")]
    private static partial ulong StorageBytes(IntPtr tensor);

    static DisposeScope? Outer(DisposeScope scope) => (DisposeScope?)OuterScope.GetValue(scope);

    void Record()
    {
        Samples++;
        PeakBytes = Math.Max(PeakBytes, LiveBytes());
    }

    public void Dispose() => observing.Dispose();
}
