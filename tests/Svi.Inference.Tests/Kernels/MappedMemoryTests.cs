namespace Svi.Inference.Tests.Kernels;

[CollectionDefinition(nameof(ProcessMemory), DisableParallelization = true)]
public class ProcessMemory;

/// <summary>Measures this process's anonymous memory, so runs alone (other tests allocate concurrently otherwise).</summary>
[Collection(nameof(ProcessMemory))]
public class MappedMemoryTests
{
    static long RssAnonBytes()
    {
        var line = File.ReadLines(ProcfsFactAttribute.Status).First(l => l.StartsWith("RssAnon:"));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
    }

    [ProcfsFact]
    public void Memory_mapped_load_of_a_large_weight_adds_no_anonymous_memory()
    {
        using var dir = new TempDir();
        const int outFeatures = 4096, inFeatures = 8192; // 128 MiB of fp32
        string path = dir.File("big.safetensors");
        using (var w = ones(outFeatures, inFeatures)) SafetensorsWriter.Write(path, [KeyValuePair.Create("weight", w)]);
        GC.Collect();
        GC.WaitForPendingFinalizers();

        using var layer = new Linear(inFeatures, outFeatures, hasBias: false, dtype: ScalarType.Float32);
        long before = RssAnonBytes();
        CheckpointLoader.Load(layer, path, new WeightLoadOptions(MemoryMap: true));
        using (var sum = layer.weight.sum()) Assert.Equal((double)outFeatures * inFeatures, sum.item<float>());
        long grown = RssAnonBytes() - before;
        // The weights were touched (summed) yet stay file-backed page cache: anonymous memory grows by far less
        // than the 128 MiB a copy would take (allowance for allocator noise: 32 MiB).
        Assert.True(grown < 32L << 20, $"anonymous memory grew by {grown >> 20} MiB");
    }
}
