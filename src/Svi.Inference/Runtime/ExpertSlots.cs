using System.Diagnostics;
using Serilog;
using Svi.Inference.Wan;

namespace Svi.Inference.Runtime;

/// <summary>
/// The DiT experts one device holds at a time: <see cref="Capacity"/> of them (two when everything is resident, one
/// under expert or block swap). An expert that must run while the slots are full sends the one that ran longest ago
/// back to the host first, so with one slot the high- and low-noise experts trade places at each switch. Forwards run
/// one at a time, since a concurrent forward could find its expert swapped out under it.
/// </summary>
public sealed class ExpertSlots(int capacity, IWeightMover mover)
{
    static readonly ILogger Log = Serilog.Log.ForContext<ExpertSlots>();
    readonly Lock gate = new();
    readonly LinkedList<ExpertResidency> onDevice = []; // most recently run first

    public Device Device => Mover.Device;
    public int Capacity { get; } = capacity >= 1 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity));
    public IWeightMover Mover { get; } = mover;

    /// <summary>Adds an expert, on the host, keeping <paramref name="residentBlocks"/> of its blocks on the device while it runs.</summary>
    public ExpertResidency Add(string name, WanTransformer model, int residentBlocks)
    {
        var expert = new ExpertResidency(name, model, residentBlocks, this);
        lock (gate) expert.Park();
        return expert;
    }

    /// <summary>Puts an expert on the device now (at load, so an all-resident plan never holds two experts on the host).</summary>
    public void Admit(ExpertResidency expert)
    {
        lock (gate) MakeResident(expert);
    }

    public T Run<T>(ExpertResidency expert, Func<T> forward)
    {
        lock (gate)
        {
            MakeResident(expert);
            return forward();
        }
    }

    public IReadOnlyList<ExpertResidency> OnDevice
    {
        get { lock (gate) return [.. onDevice]; }
    }

    void MakeResident(ExpertResidency expert)
    {
        if (onDevice.Remove(expert))
        {
            onDevice.AddFirst(expert);
            return;
        }
        var clock = Stopwatch.StartNew();
        var evicted = new List<string>();
        while (onDevice.Count >= Capacity)
        {
            var last = onDevice.Last!.Value;
            onDevice.RemoveLast();
            last.Leave();
            evicted.Add(last.Name);
        }
        expert.Enter();
        onDevice.AddFirst(expert);
        const double bytesPerGiB = 1L << 30;
        Log.Information("{Expert} on {Device}: {ResidentGiB:F1} GiB resident, {StreamedGiB:F1} GiB streamed per forward; " +
                        "sent to the host first: {Evicted}; {Seconds:F2} s", expert.Name, Device.ToString(),
            expert.DeviceBytes / bytesPerGiB, expert.StreamedBytes / bytesPerGiB, evicted, clock.Elapsed.TotalSeconds);
    }
}
