using System.Text.Json;
using Svi.Inference.Tests.Weights;
using Svi.Kernels.Fp8;

namespace Svi.Inference.Tests.Kernels;

public class CheckpointSetTests
{
    static void WriteSharded(TempDir dir, Dictionary<string, Tensor> tensors, string indexName = "model.safetensors.index.json")
    {
        var keys = tensors.Keys.Order().ToList();
        var first = keys.Take(keys.Count / 2).ToList();
        var second = keys.Skip(keys.Count / 2).ToList();
        SafetensorsWriter.Write(dir.File("model-00001-of-00002.safetensors"), first.Select(k => KeyValuePair.Create(k, tensors[k])));
        SafetensorsWriter.Write(dir.File("model-00002-of-00002.safetensors"), second.Select(k => KeyValuePair.Create(k, tensors[k])));
        var map = first.ToDictionary(k => k, _ => "model-00001-of-00002.safetensors");
        foreach (var k in second) map[k] = "model-00002-of-00002.safetensors";
        File.WriteAllText(dir.File(indexName), JsonSerializer.Serialize(new { metadata = new { total_size = 0 }, weight_map = map }));
    }

    [Fact]
    public void Sharded_index_exposes_one_key_space_over_its_shards()
    {
        using var dir = new TempDir();
        var tensors = TinyWanLike.RandomStateDict();
        WriteSharded(dir, tensors);
        using var set = CheckpointSet.Open(dir.File("model.safetensors.index.json"));
        Assert.Equal(2, set.Files.Count);
        Assert.Equal(tensors.Keys.Order(), set.Keys.Order());
        foreach (var (key, expected) in tensors)
        {
            using var read = set.Read(key);
            TensorAssert.Equal(expected, read, key);
        }
    }

    [Fact]
    public void Sharded_index_naming_a_missing_shard_fails_naming_the_shard()
    {
        using var dir = new TempDir();
        WriteSharded(dir, TinyWanLike.RandomStateDict());
        File.Delete(dir.File("model-00002-of-00002.safetensors"));
        var e = Assert.Throws<FileNotFoundException>(() => CheckpointSet.Open(dir.File("model.safetensors.index.json")));
        Assert.Contains("model-00002-of-00002.safetensors", e.Message);
        Assert.Contains("model.safetensors.index.json", e.Message);
    }

    [Fact]
    public void Mapped_view_equals_read_tensor_and_writes_never_reach_the_file()
    {
        using var dir = new TempDir();
        using var a = randn(3, 5);
        using var b = randn(7).to(ScalarType.BFloat16);
        using var c = Fp8Codec.Encode(randn(4, 4), Fp8Format.E4M3FN);
        string path = dir.File("m.safetensors");
        SafetensorsWriter.Write(path, [KeyValuePair.Create("a", a), KeyValuePair.Create("b", b), KeyValuePair.Create("c", c)]);
        using (var file = SafetensorsFile.Open(path))
        {
            using var mappedA = file.Map("a");
            using var mappedB = file.Map("b");
            using var mappedC = file.Map("c");
            TensorAssert.Equal(a, mappedA);
            TensorAssert.Equal(b, mappedB);
            Assert.Equal(c.dtype, mappedC.dtype);
            using var bytesC = Fp8Codec.ToBytes(mappedC);
            using var expectedC = Fp8Codec.ToBytes(c);
            TensorAssert.Equal(expectedC, bytesC);
            mappedA.fill_(42f);
        }
        using var reopened = SafetensorsFile.Open(path);
        using var again = reopened.Read("a");
        TensorAssert.Equal(a, again);
    }

    [Fact]
    public void Mapped_view_outlives_its_file_object()
    {
        using var dir = new TempDir();
        using var a = randn(16, 16);
        string path = dir.File("m.safetensors");
        SafetensorsWriter.Write(path, [KeyValuePair.Create("a", a)]);
        Tensor mapped;
        using (var file = SafetensorsFile.Open(path)) mapped = file.Map("a");
        using (mapped) TensorAssert.Equal(a, mapped);
    }
}
