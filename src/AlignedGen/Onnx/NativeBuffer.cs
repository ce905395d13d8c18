using System.Runtime.InteropServices;

namespace AlignedGen.Onnx;

/// <summary>
/// A block of native memory (64-byte aligned) that ONNX Runtime tensors view without copies. Unlike pinned managed
/// arrays it costs the garbage collector nothing: a decoder allocates and drops many of these (one per cache tensor,
/// grown as sequences lengthen), and as pinned arrays they forced a full collection every few prompts.
/// </summary>
internal sealed unsafe class NativeBuffer : IDisposable
{
    private void* _pointer;

    /// <summary>Allocates <paramref name="bytes"/> bytes (contents undefined).</summary>
    public NativeBuffer(long bytes)
    {
        if (bytes < 0 || bytes > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(bytes), bytes, $"A buffer holds 0 to {Array.MaxLength} bytes.");
        _pointer = NativeMemory.AlignedAlloc((nuint)Math.Max(bytes, 1), 64);
        Bytes = bytes;
    }

    /// <summary>An empty buffer (no memory).</summary>
    public static NativeBuffer Empty() => new(0);

    /// <summary>Size in bytes.</summary>
    public long Bytes { get; }

    /// <summary>Address of the first byte.</summary>
    public IntPtr Pointer
    {
        get
        {
            ObjectDisposedException.ThrowIf(_pointer is null, this);
            return (IntPtr)_pointer;
        }
    }

    /// <summary>The first <paramref name="length"/> bytes.</summary>
    public Span<byte> Span(int length)
    {
        ObjectDisposedException.ThrowIf(_pointer is null, this);
        if ((uint)length > (ulong)Bytes) throw new ArgumentOutOfRangeException(nameof(length), length, $"The buffer holds {Bytes} bytes.");
        return new Span<byte>(_pointer, length);
    }

    private void Free()
    {
        if (_pointer is null) return;
        NativeMemory.AlignedFree(_pointer);
        _pointer = null;
    }

    ~NativeBuffer() => Free();

    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }
}
