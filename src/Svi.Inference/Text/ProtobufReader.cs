namespace Svi.Inference.Text;

/// <summary>
/// Just enough of the protobuf wire format to read a SentencePiece <c>ModelProto</c> without generated classes:
/// field tags, varints, 32-bit floats and length-delimited bytes. Unknown fields are skipped by wire type.
/// </summary>
internal ref struct ProtobufReader(ReadOnlySpan<byte> data)
{
    readonly ReadOnlySpan<byte> data = data;
    int position;

    /// <summary>Reads the value of a field it knows and returns true, or returns false to have the field skipped.</summary>
    public delegate bool FieldReader(ref ProtobufReader reader, int field, int wireType);

    /// <summary>Walks a message's fields in order, handing each to <paramref name="readField"/> and skipping those it does not read.</summary>
    public static void ReadFields(ReadOnlySpan<byte> message, FieldReader readField)
    {
        var reader = new ProtobufReader(message);
        while (!reader.AtEnd)
        {
            var (field, wireType) = reader.ReadTag();
            if (!readField(ref reader, field, wireType)) reader.Skip(wireType);
        }
    }

    public bool AtEnd => position >= data.Length;

    /// <summary>Reads the next field's tag: its number and wire type (0 varint, 1 fixed64, 2 bytes, 5 fixed32).</summary>
    public (int Field, int WireType) ReadTag()
    {
        ulong tag = ReadVarint();
        return ((int)(tag >> 3), (int)(tag & 7));
    }

    public ulong ReadVarint()
    {
        ulong value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            byte b = Next();
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return value;
        }
        throw new FormatException("malformed protobuf varint");
    }

    // int32 fields are sign-extended to 64 bits on the wire, so the low 32 bits carry the value.
    public int ReadInt32() => unchecked((int)ReadVarint());

    public bool ReadBool() => ReadVarint() != 0;

    public float ReadFloat()
    {
        var bytes = Take(4);
        return BitConverter.ToSingle(BitConverter.IsLittleEndian ? bytes : [bytes[3], bytes[2], bytes[1], bytes[0]]);
    }

    public ReadOnlySpan<byte> ReadBytes() => Take(checked((int)ReadVarint()));

    public string ReadString() => System.Text.Encoding.UTF8.GetString(ReadBytes());

    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case 0: ReadVarint(); break;
            case 1: Take(8); break;
            case 2: ReadBytes(); break;
            case 5: Take(4); break;
            default: throw new FormatException($"unsupported protobuf wire type {wireType}");
        }
    }

    byte Next() => position < data.Length ? data[position++] : throw new FormatException("truncated protobuf message");

    ReadOnlySpan<byte> Take(int length)
    {
        if (length < 0 || position + length > data.Length) throw new FormatException("truncated protobuf message");
        var slice = data.Slice(position, length);
        position += length;
        return slice;
    }
}
