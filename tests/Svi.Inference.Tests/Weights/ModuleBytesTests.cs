using Svi.Inference.Weights;
using Svi.Kernels.Fp8;
using Svi.Kernels.Safetensors;
using static TorchSharp.torch;

namespace Svi.Inference.Tests.Weights;

public class ModuleBytesTests
{
    [Fact]
    public void Fp8_kept_weights_count_one_byte_per_element()
    {
        using var dir = new TempDir();
        var sd = TinyWanLike.RandomStateDict();
        using (var plain = new TinyWanLike()) Assert.Equal(sd.Values.Sum(t => t.NumberOfElements * 4), ModuleBytes.Of(plain));
        var file = sd.Select(kv => kv.Key == "head.weight" ? KeyValuePair.Create(kv.Key, Fp8Codec.Encode(kv.Value, Fp8Format.E4M3FN)) : kv);
        SafetensorsWriter.Write(dir.File("m.safetensors"), file);
        using var model = new TinyWanLike();
        CheckpointLoader.Load(model, dir.File("m.safetensors"));
        long expected = sd.Values.Sum(t => t.NumberOfElements * 4) - sd["head.weight"].NumberOfElements * 3;
        Assert.Equal(expected, ModuleBytes.Of(model));
    }
}
