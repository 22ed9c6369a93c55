using System.IO.Compression;
using Svi.Kernels.TorchZip;

namespace Svi.Inference.Tests.Weights;

public class TorchZipCheckpointTests
{
    /// <summary>
    /// data.pkl exactly as CPython's pickler (protocol 2, the torch.save default) writes a state dict, generated
    /// with stub <c>torch</c> modules standing in for the real ones (names only are pickled): an OrderedDict with
    /// a <c>_metadata</c> attribute holding
    ///   encoder.conv1.weight = _rebuild_tensor_v2(('storage', torch.FloatStorage, '0', 'cpu', 12), 0, (2, 3), (3, 1), False, OrderedDict())
    ///   encoder.conv1.bias   = _rebuild_tensor_v2(('storage', torch.BFloat16Storage, '1', 'cpu', 2), 0, (2,), (1,), False, OrderedDict())
    ///   head.weight          = _rebuild_tensor_v2(storage '0' again, 6, (3, 2), (1, 3), False, OrderedDict())   (a transposed view)
    /// with memo reuse (BINGET) the way the real pickler emits it.
    /// </summary>
    const string DataPkl =
        "800263636f6c6c656374696f6e730a4f726465726564446963740a710029527101285814000000656e636f6465722e636f6e76312e77656967687471" +
        "0263746f7263682e5f7574696c730a5f72656275696c645f74656e736f725f76320a71032828580700000073746f72616765710463746f7263680a46" +
        "6c6f617453746f726167650a71055801000000307106580300000063707571074b0c747108514b004b024b038671094b034b0186710a896800295271" +
        "0b74710c52710d5812000000656e636f6465722e636f6e76312e62696173710e68032828680463746f7263680a42466c6f6174313653746f72616765" +
        "0a710f580100000031711068074b02747111514b004b028571124b0185711389680029527114747115527116580b000000686561642e776569676874" +
        "71176803282868046805680668074b0c747118514b064b034b028671194b014b0386711a8968002952711b74711c52711d757d711e58090000005f6d" +
        "65746164617461711f680029527120580000000071217d7122580700000076657273696f6e71234b01737373622e" +
        "";

    /// <summary>
    /// The zip torch.save writes: &lt;root&gt;/data.pkl, &lt;root&gt;/data/&lt;key&gt; (raw little-endian storage
    /// bytes), &lt;root&gt;/version, &lt;root&gt;/byteorder; entries stored uncompressed.
    /// </summary>
    static void WriteTorchZip(string path, string root = "Wan2.1_VAE")
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        void Add(string name, byte[] bytes)
        {
            using var s = zip.CreateEntry($"{root}/{name}", CompressionLevel.NoCompression).Open();
            s.Write(bytes);
        }
        Add("data.pkl", Convert.FromHexString(DataPkl));
        Add("byteorder", "little"u8.ToArray());
        Add("data/0", Enumerable.Range(0, 12).SelectMany(i => BitConverter.GetBytes((float)i)).ToArray());
        Add("data/1", [0x00, 0x3F, 0xA0, 0xBF]); // bf16 0.5 (0x3F00) and -1.25 (0xBFA0), little-endian
        Add("version", "3\n"u8.ToArray());
    }

    [Fact]
    public void Torch_zip_state_dict_reads_tensors_with_offsets_strides_and_dtypes()
    {
        using var dir = new TempDir();
        WriteTorchZip(dir.File("Wan2.1_VAE.pth"));
        using var checkpoint = TorchZipCheckpoint.Open(dir.File("Wan2.1_VAE.pth"));
        Assert.Equal(new[] { "encoder.conv1.bias", "encoder.conv1.weight", "head.weight" }, checkpoint.Keys.Order());
        using var weight = checkpoint.Read("encoder.conv1.weight");
        Assert.Equal(new float[] { 0, 1, 2, 3, 4, 5 }, weight.data<float>().ToArray());
        Assert.Equal(new long[] { 2, 3 }, weight.shape);
        using var bias = checkpoint.Read("encoder.conv1.bias");
        Assert.Equal(ScalarType.BFloat16, bias.dtype);
        Assert.Equal(new float[] { 0.5f, -1.25f }, bias.to(ScalarType.Float32).data<float>().ToArray());
        using var head = checkpoint.Read("head.weight");
        // element [i, j] = storage[6 + i·1 + j·3]
        Assert.Equal(new float[] { 6, 9, 7, 10, 8, 11 }, head.data<float>().ToArray());
    }

    sealed class TinyPthModule : TorchSharp.torch.nn.Module
    {
#pragma warning disable IDE1006
        public readonly TinyEncoder encoder = new();
        public readonly Linear head = new(2, 3, hasBias: false);
#pragma warning restore IDE1006
        public TinyPthModule() : base(nameof(TinyPthModule)) => RegisterComponents();
    }

    sealed class TinyEncoder : TorchSharp.torch.nn.Module
    {
#pragma warning disable IDE1006
        public readonly Linear conv1 = new(3, 2);
#pragma warning restore IDE1006
        public TinyEncoder() : base(nameof(TinyEncoder)) => RegisterComponents();
    }

    [Fact]
    public void Pth_checkpoint_loads_into_a_module_through_the_common_loader()
    {
        using var dir = new TempDir();
        WriteTorchZip(dir.File("Wan2.1_VAE.pth"));
        using var model = new TinyPthModule();
        CheckpointLoader.Load(model, dir.File("Wan2.1_VAE.pth"));
        Assert.Equal(new float[] { 0.5f, -1.25f }, model.encoder.conv1.bias!.data<float>().ToArray());
        Assert.Equal(new float[] { 6, 9, 7, 10, 8, 11 }, model.head.weight.data<float>().ToArray());
    }

    [Fact]
    public void Zip_without_data_pkl_is_a_checkpoint_format_error_naming_the_file()
    {
        using var dir = new TempDir();
        using (var zip = ZipFile.Open(dir.File("x.pth"), ZipArchiveMode.Create)) zip.CreateEntry("archive/version");
        using var model = new TinyPthModule();
        var e = Assert.Throws<CheckpointFormatException>(() => CheckpointLoader.Load(model, dir.File("x.pth")));
        Assert.Contains(dir.File("x.pth"), e.Message);
        Assert.Contains("data.pkl", e.Message);
    }
}
