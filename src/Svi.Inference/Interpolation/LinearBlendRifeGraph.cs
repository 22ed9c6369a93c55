using System.Text;
using Svi.Inference.Weights.Random;

namespace Svi.Inference.Interpolation;

/// <summary>
/// Writes a tiny ONNX graph with the published RIFE v4.x export's signature (<c>img0</c>, <c>img1</c> float32
/// [1, 3, H, W], <c>timestep</c> float32 [1] → <c>output</c> float32 [1, 3, H, W]) that blends linearly:
/// output = img0 + (img1 − img0) · timestep. NOT a RIFE network: it stands in for the 21 MB file in tests, benchmarks
/// and under random weights (<c>Svi:Inference:Weights=random</c>), so the real ONNX Runtime runs the real
/// interpolation path where the published file cannot be had. The protobuf messages (onnx.proto's
/// ModelProto, GraphProto, NodeProto, ValueInfoProto, TypeProto, TensorShapeProto) are encoded by hand: a handful of
/// varint and length-delimited fields.
/// </summary>
public static class LinearBlendRifeGraph
{
    const int FloatType = 1; // onnx.TensorProto.DataType.FLOAT

    /// <summary>Where a file path would be: <see cref="RifeInterpolator.Open"/> opens this graph for it.</summary>
    public static readonly string Address = new RandomWeightsPath("rife-stand-in", 15, RandomStorage.Float32).ToString();

    /// <summary>Writes the graph to <paramref name="path"/>; <paramref name="firstInput"/> renames img0 (to test a wrong file).</summary>
    public static string Write(string path, string firstInput = "img0")
    {
        File.WriteAllBytes(path, Model(firstInput));
        return path;
    }

    public static byte[] Model(string firstInput = "img0")
    {
        var graph = new Proto()
            .Message(1, Node(["img1", firstInput], ["delta"], "Sub"))
            .Message(1, Node(["delta", "timestep"], ["step"], "Mul"))
            .Message(1, Node([firstInput, "step"], ["output"], "Add"))
            .String(2, "tiny_rife_lerp")
            .Message(11, Image(firstInput))
            .Message(11, Image("img1"))
            .Message(11, Value("timestep", new Proto().Message(1, new Proto().Int(1, 1))))
            .Message(12, Image("output"));
        return new Proto()
            .Int(1, 8)                                              // ir_version
            .String(2, "svi-tests (tiny RIFE stand-in, not a trained model)") // producer_name
            .Message(7, graph)
            .Message(8, new Proto().String(1, "").Int(2, 13))       // opset_import: default domain, opset 13
            .ToArray();
    }

    static Proto Node(string[] inputs, string[] outputs, string op)
    {
        var node = new Proto();
        foreach (var input in inputs) node.String(1, input);
        foreach (var output in outputs) node.String(2, output);
        return node.String(3, op + "_" + outputs[0]).String(4, op);
    }

    // [1, 3, height, width] with symbolic height and width, as the export's dynamic_axes make them
    static Proto Image(string name) => Value(name, new Proto()
        .Message(1, new Proto().Int(1, 1))
        .Message(1, new Proto().Int(1, 3))
        .Message(1, new Proto().String(2, "height"))
        .Message(1, new Proto().String(2, "width")));

    static Proto Value(string name, Proto shape) => new Proto()
        .String(1, name)
        .Message(2, new Proto().Message(1, new Proto().Int(1, FloatType).Message(2, shape)));

    sealed class Proto
    {
        readonly MemoryStream bytes = new();

        public Proto Int(int field, long value)
        {
            Varint((ulong)(field << 3));
            Varint((ulong)value);
            return this;
        }

        public Proto String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

        public Proto Message(int field, Proto message) => Bytes(field, message.ToArray());

        public byte[] ToArray() => bytes.ToArray();

        Proto Bytes(int field, byte[] value)
        {
            Varint((ulong)(field << 3 | 2));
            Varint((ulong)value.Length);
            bytes.Write(value);
            return this;
        }

        void Varint(ulong value)
        {
            do
            {
                byte low = (byte)(value & 0x7F);
                value >>= 7;
                bytes.WriteByte(value == 0 ? low : (byte)(low | 0x80));
            } while (value != 0);
        }
    }
}
