using System.Buffers;
using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;
using System.Security.Cryptography;
using DistDepth.Sim.V1;
using DistDepth.SimServer.Rendering;

namespace DistDepth.SimServer.Service;

/// <summary>
/// The shared-memory ring of the protocol (<see cref="SharedMemoryRing"/>): a co-located server hands
/// each frame's megabytes to the client through a mapped file instead of protobuf, HTTP/2 and the
/// loopback socket, which cost more CPU than rendering a simple scene. The layout is the proto's.
/// </summary>
public abstract unsafe class FrameRing : IDisposable
{
    public const string FilePrefix = "distdepth-frames-";
    public const string FileSuffix = ".ring";
    public const int MaxSlots = 64;
    private const long HeaderBytes = 4096;
    private const long ReleaseCountersAt = 64;
    private static readonly ulong Magic = BinaryPrimitives.ReadUInt64LittleEndian("DDDRING1"u8);

    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    protected readonly byte* Base;

    private protected FrameRing(MemoryMappedFile file, int slotCount, long slotBytes)
    {
        _file = file;
        SlotCount = slotCount;
        SlotBytes = slotBytes;
        _view = file.CreateViewAccessor(0, checked(HeaderBytes + slotCount * slotBytes));
        byte* pointer = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        Base = pointer + _view.PointerOffset;
    }

    public int SlotCount { get; }
    public long SlotBytes { get; }

    /// <summary>Room for every output of a width x height rig: two RGB images and two float depth maps.</summary>
    public static long SlotBytesFor(int width, int height) => (long)width * height * (3 + 3 + 4 + 4);

    protected ref ulong ReleaseCount(int slot) => ref *(ulong*)(Base + ReleaseCountersAt + 8L * slot);

    protected byte* Slot(int slot) => Base + HeaderBytes + slot * SlotBytes;

    public virtual void Dispose()
    {
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
    }

    /// <summary>The client's side: creates the ring, offers it, and hands out each frame's images in place.</summary>
    public sealed class Reader : FrameRing
    {
        private readonly string _path;
        private readonly ulong _token;
        private int _holders = 1; // the reader itself, and each received frame not yet disposed
        private int _disposed;

        private Reader(string path, MemoryMappedFile file, int slotCount, long slotBytes, ulong token) : base(file, slotCount, slotBytes)
        {
            _path = path;
            _token = token;
            BinaryPrimitives.WriteUInt64LittleEndian(new Span<byte>(Base, 8), Magic);
            BinaryPrimitives.WriteUInt64LittleEndian(new Span<byte>(Base + 8, 8), token);
            BinaryPrimitives.WriteInt32LittleEndian(new Span<byte>(Base + 16, 4), slotCount);
            BinaryPrimitives.WriteInt64LittleEndian(new Span<byte>(Base + 24, 8), slotBytes);
        }

        public SharedMemoryRing Offer => new() { Path = _path, Token = _token, SlotCount = SlotCount, SlotBytes = SlotBytes };

        /// <summary>A ring in a sealed memfd (<see cref="SealedMemory"/>): it has no name in any folder, so a
        /// killed client leaves nothing behind, and no one can shrink it under the server.</summary>
        /// <exception cref="IOException">no memfd here (not Linux, or the call failed)</exception>
        public static Reader Create(long slotBytes, int slotCount = 4)
        {
            if (slotCount is < 1 or > MaxSlots || slotBytes < 1) throw new ArgumentOutOfRangeException(nameof(slotCount), $"a ring has 1..{MaxSlots} slots of at least one byte");
            var (handle, path) = SealedMemory.Create($"{FilePrefix}{Guid.NewGuid():N}{FileSuffix}", checked(HeaderBytes + slotCount * slotBytes));
            MemoryMappedFile? file = null;
            try
            {
                file = MemoryMappedFile.CreateFromFile(handle, null, 0, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: false);
                return new Reader(path, file, slotCount, slotBytes, BinaryPrimitives.ReadUInt64LittleEndian(RandomNumberGenerator.GetBytes(8)));
            }
            catch
            {
                if (file != null) file.Dispose();
                else handle.Dispose();
                throw;
            }
        }

        /// <summary>The frame with its images in place in their slot, which is freed when the result is
        /// disposed; a frame that came inline is returned as it is.</summary>
        public ReceivedFrame Receive(Frame frame)
        {
            var where = frame.SharedMemory;
            if (where == null) return ReceivedFrame.Of(frame);
            int[] lengths = [where.RgbLeftBytes, where.RgbRightBytes, where.DepthLeftBytes, where.DepthRightBytes];
            if (where.Slot < 0 || where.Slot >= SlotCount || lengths.Any(l => l < 0) || lengths.Sum(l => (long)l) > SlotBytes)
                throw new InvalidDataException($"frame {frame.Index} names slot {where.Slot} with {string.Join("+", lengths)} bytes, outside the ring ({SlotCount} x {SlotBytes} bytes)");
            var at = Slot(where.Slot);
            var images = new ReadOnlyMemory<byte>[4];
            for (var i = 0; i < 4; i++)
            {
                images[i] = lengths[i] == 0 ? ReadOnlyMemory<byte>.Empty : new SlotMemory<byte>(at, lengths[i]).Memory;
                at += lengths[i];
            }
            Interlocked.Increment(ref _holders);
            var slot = where.Slot;
            return new ReceivedFrame(frame, images[0], images[1], images[2], images[3], () =>
            {
                Interlocked.Increment(ref ReleaseCount(slot));
                Unhold();
            });
        }

        /// <summary>The memfd and its mapping stay until the last received frame is disposed.</summary>
        public override void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
            Unhold();
        }

        private void Unhold()
        {
            if (Interlocked.Decrement(ref _holders) == 0) base.Dispose();
        }
    }

    /// <summary>The server's side: lends each frame's slot to the renderer.</summary>
    public sealed class Writer : FrameRing
    {
        private readonly ulong[] _uses;
        private int _next;

        private Writer(MemoryMappedFile file, int slotCount, long slotBytes) : base(file, slotCount, slotBytes) => _uses = new ulong[slotCount];

        /// <summary>The ring the client offered, or null when this server cannot share it (then frames go
        /// inline). The server writes into it, so it takes only what is plainly a ring it can trust: a memfd of
        /// the client's (/proc/&lt;pid&gt;/fd/&lt;fd&gt;) sealed against shrinking, so the mapping cannot be cut
        /// under a frame, of exactly the offered size, with slots no larger than <paramref name="maxSlotBytes"/>
        /// (what the session's rig needs), holding the offer's magic and token.</summary>
        public static Writer? TryOpen(SharedMemoryRing? offer, long maxSlotBytes)
        {
            if (offer == null || offer.SlotCount is < 1 or > MaxSlots || offer.SlotBytes < 1 || offer.SlotBytes > maxSlotBytes) return null;
            long size;
            try
            {
                size = checked(HeaderBytes + offer.SlotCount * offer.SlotBytes);
            }
            catch (OverflowException)
            {
                return null;
            }
            // The mapping outlives the server's descriptor, which is closed on return.
            using var handle = SealedMemory.TryOpen(offer.Path, FilePrefix, size);
            if (handle == null) return null;
            Writer ring;
            try
            {
                ring = new Writer(MemoryMappedFile.CreateFromFile(handle, null, size, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: true),
                    offer.SlotCount, offer.SlotBytes);
            }
            catch (IOException)
            {
                return null;
            }
            var header = new ReadOnlySpan<byte>(ring.Base, 32);
            if (BinaryPrimitives.ReadUInt64LittleEndian(header) == Magic && BinaryPrimitives.ReadUInt64LittleEndian(header[8..]) == offer.Token
                && BinaryPrimitives.ReadInt32LittleEndian(header[16..]) == offer.SlotCount && BinaryPrimitives.ReadInt64LittleEndian(header[24..]) == offer.SlotBytes)
                return ring;
            ring.Dispose();
            return null;
        }

        /// <summary>Waits until the client has released the next slot's last use, then lends it as render
        /// targets for one frame of <paramref name="rig"/>; null when such a frame does not fit a slot (it goes inline).</summary>
        public (StereoTargets Targets, FrameSlot Where)? Reserve(Rendering.StereoRig rig, CancellationToken ct)
        {
            var pixels = rig.Width * rig.Height;
            int Bytes(RigOutputs output, int perPixel) => rig.Outputs.HasFlag(output) ? pixels * perPixel : 0;
            var where = new FrameSlot
            {
                Slot = _next, RgbLeftBytes = Bytes(RigOutputs.RgbLeft, 3), RgbRightBytes = Bytes(RigOutputs.RgbRight, 3),
                DepthLeftBytes = Bytes(RigOutputs.DepthLeft, 4), DepthRightBytes = Bytes(RigOutputs.DepthRight, 4),
            };
            if ((long)where.RgbLeftBytes + where.RgbRightBytes + where.DepthLeftBytes + where.DepthRightBytes > SlotBytes) return null;
            var spin = new SpinWait();
            while (Volatile.Read(ref ReleaseCount(where.Slot)) != _uses[where.Slot])
            {
                ct.ThrowIfCancellationRequested();
                spin.SpinOnce(sleep1Threshold: 20);
            }
            _uses[where.Slot]++;
            _next = (where.Slot + 1) % SlotCount;
            var at = Slot(where.Slot);
            Memory<T> Take<T>(int bytes) where T : unmanaged
            {
                var memory = bytes == 0 ? Memory<T>.Empty : new SlotMemory<T>((T*)at, bytes / sizeof(T)).Memory;
                at += bytes;
                return memory;
            }
            var targets = new StereoTargets(Take<byte>(where.RgbLeftBytes), Take<byte>(where.RgbRightBytes), Take<float>(where.DepthLeftBytes), Take<float>(where.DepthRightBytes));
            return (targets, where);
        }
    }

    /// <summary>Part of the mapping as Memory&lt;T&gt;, so the renderer writes frames straight into the slot.</summary>
    private sealed class SlotMemory<T>(T* start, int length) : MemoryManager<T> where T : unmanaged
    {
        public override Span<T> GetSpan() => new(start, length);

        public override MemoryHandle Pin(int elementIndex = 0) => new(start + elementIndex);

        public override void Unpin() { }

        protected override void Dispose(bool disposing) { }
    }
}
