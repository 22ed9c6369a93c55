using System.Buffers.Binary;
using System.Text;

namespace Svi.Kernels.TorchZip;

/// <summary>
/// The subset of Python's pickle virtual machine that <c>torch.save</c> uses for a state dict (protocols 2 to 4):
/// containers, strings, numbers, globals, REDUCE and persistent ids. Nothing is executed: globals become
/// <see cref="PickleGlobal"/>, calls go to <see cref="Reduce"/> (which the caller supplies, e.g. to rebuild
/// tensors) and persistent ids to <see cref="PersistentLoad"/>.
/// </summary>
public sealed class PickleReader(byte[] data, string sourceName)
{
    int position;
    readonly List<object?> stack = [];
    readonly Stack<int> marks = new();
    readonly Dictionary<int, object?> memo = [];

    public Func<object?, object?> PersistentLoad { get; init; } = id => id;
    public Func<PickleGlobal, object?[], object?> Reduce { get; init; } = (callable, args) => new PickleCall(callable, args);

    public object? Load()
    {
        while (true)
        {
            if (position >= data.Length) throw Error("unexpected end of pickle");
            byte op = data[position++];
            switch (op)
            {
                case 0x80: position++; break;                       // PROTO
                case 0x95: position += 8; break;                    // FRAME
                case (byte)'.': return Pop();                       // STOP
                case (byte)'(': marks.Push(stack.Count); break;     // MARK
                case (byte)'}': Push(new Dictionary<object, object?>()); break;
                case (byte)']': Push(new List<object?>()); break;
                case (byte)')': Push(Array.Empty<object?>()); break;
                case 0x8f: Push(new List<object?>()); break;        // EMPTY_SET (kept as a list)
                case (byte)'N': Push(null); break;
                case 0x88: Push(true); break;
                case 0x89: Push(false); break;
                case (byte)'J': Push((long)BinaryPrimitives.ReadInt32LittleEndian(Take(4))); break;
                case (byte)'K': Push((long)Take(1)[0]); break;
                case (byte)'M': Push((long)BinaryPrimitives.ReadUInt16LittleEndian(Take(2))); break;
                case 0x8a: Push(ReadLong(Take(1)[0])); break;       // LONG1
                case 0x8b: Push(ReadLong(BinaryPrimitives.ReadInt32LittleEndian(Take(4)))); break; // LONG4
                case (byte)'G': Push(BinaryPrimitives.ReadDoubleBigEndian(Take(8))); break;
                case (byte)'X': Push(Encoding.UTF8.GetString(Take(BinaryPrimitives.ReadInt32LittleEndian(Take(4))))); break;
                case 0x8c: Push(Encoding.UTF8.GetString(Take(Take(1)[0]))); break;       // SHORT_BINUNICODE
                case (byte)'T': Push(Encoding.Latin1.GetString(Take(BinaryPrimitives.ReadInt32LittleEndian(Take(4))))); break;
                case (byte)'U': Push(Encoding.Latin1.GetString(Take(Take(1)[0]))); break;
                case (byte)'B': Push(Take(BinaryPrimitives.ReadInt32LittleEndian(Take(4))).ToArray()); break;
                case (byte)'C': Push(Take(Take(1)[0]).ToArray()); break;
                case (byte)'c': Push(new PickleGlobal(ReadLine(), ReadLine())); break;  // GLOBAL
                case 0x93: { var name = (string)Pop()!; var module = (string)Pop()!; Push(new PickleGlobal(module, name)); break; } // STACK_GLOBAL
                case (byte)'q': memo[Take(1)[0]] = Peek(); break;                       // BINPUT
                case (byte)'r': memo[BinaryPrimitives.ReadInt32LittleEndian(Take(4))] = Peek(); break;
                case 0x94: memo[memo.Count] = Peek(); break;                            // MEMOIZE
                case (byte)'h': Push(Memo(Take(1)[0])); break;                          // BINGET
                case (byte)'j': Push(Memo(BinaryPrimitives.ReadInt32LittleEndian(Take(4)))); break;
                case (byte)'t': Push(PopMark().ToArray()); break;                       // TUPLE
                case 0x85: Push(new[] { Pop() }); break;
                case 0x86: { var b = Pop(); var a = Pop(); Push(new[] { a, b }); break; }
                case 0x87: { var c = Pop(); var b = Pop(); var a = Pop(); Push(new[] { a, b, c }); break; }
                case (byte)'a': { var item = Pop(); ((List<object?>)Peek()!).Add(item); break; }
                case (byte)'e': { var items = PopMark(); ((List<object?>)Peek()!).AddRange(items); break; }
                case (byte)'s': { var value = Pop(); var key = Pop()!; AsDictionary(Peek())[key] = value; break; }
                case (byte)'u':
                    {
                        var items = PopMark();
                        var dict = AsDictionary(Peek());
                        for (int i = 0; i + 1 < items.Count; i += 2) dict[items[i]!] = items[i + 1];
                        break;
                    }
                case (byte)'R' or 0x81:                                                 // REDUCE, NEWOBJ
                    {
                        var args = (object?[])Pop()!;
                        var callable = Pop() as PickleGlobal ?? throw Error("REDUCE on something that is not a global");
                        Push(Reduce(callable, args));
                        break;
                    }
                case (byte)'b': Pop(); break;                                           // BUILD: object state is not needed
                case (byte)'Q': Push(PersistentLoad(Pop())); break;                     // BINPERSID
                default: throw Error($"unsupported pickle opcode 0x{op:x2} at byte {position - 1}");
            }
        }
    }

    static Dictionary<object, object?> AsDictionary(object? o) =>
        o as Dictionary<object, object?> ?? throw new InvalidDataException("SETITEM(S) on something that is not a dict");

    object? Memo(int index) => memo.TryGetValue(index, out var v) ? v : throw Error($"memo {index} is not set");

    ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || position + count > data.Length) throw Error("unexpected end of pickle");
        var span = data.AsSpan(position, count);
        position += count;
        return span;
    }

    string ReadLine()
    {
        int end = Array.IndexOf(data, (byte)'\n', position);
        if (end < 0) throw Error("unterminated GLOBAL");
        var s = Encoding.ASCII.GetString(data, position, end - position);
        position = end + 1;
        return s;
    }

    long ReadLong(int length)
    {
        var bytes = Take(length);
        if (length > 8) throw Error("integer wider than 64 bits");
        long value = 0;
        for (int i = length - 1; i >= 0; i--) value = (value << 8) | bytes[i];
        if (length is > 0 and < 8 && (bytes[length - 1] & 0x80) != 0) value -= 1L << (8 * length);
        return value;
    }

    void Push(object? o) => stack.Add(o);
    object? Peek() => stack.Count > 0 ? stack[^1] : throw Error("stack underflow");
    object? Pop()
    {
        var o = Peek();
        stack.RemoveAt(stack.Count - 1);
        return o;
    }

    List<object?> PopMark()
    {
        if (marks.Count == 0) throw Error("no MARK on the stack");
        int mark = marks.Pop();
        var items = stack.GetRange(mark, stack.Count - mark);
        stack.RemoveRange(mark, stack.Count - mark);
        return items;
    }

    InvalidDataException Error(string problem) => new($"{sourceName}: {problem}");
}
