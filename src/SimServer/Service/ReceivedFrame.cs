using DistDepth.Sim.V1;
using Google.Protobuf;

namespace DistDepth.SimServer.Service;

/// <summary>
/// A streamed frame with its images where they arrived: in the message itself, or in place in a slot of
/// the shared-memory ring (<see cref="FrameRing"/>). A slot stays the client's until this is disposed and
/// is then rendered into again, so its images must not be touched after <see cref="Dispose"/>; a caller
/// that keeps frames calls <see cref="Detach"/>.
/// </summary>
public sealed class ReceivedFrame : IDisposable
{
    private System.Action? _release;

    internal ReceivedFrame(Frame frame, ReadOnlyMemory<byte> rgbLeft, ReadOnlyMemory<byte> rgbRight,
                           ReadOnlyMemory<byte> depthLeft, ReadOnlyMemory<byte> depthRight, System.Action? release)
    {
        Frame = frame;
        (RgbLeft, RgbRight, DepthLeft, DepthRight) = (rgbLeft, rgbRight, depthLeft, depthRight);
        _release = release;
    }

    /// <summary>A frame whose images came inline, in the message.</summary>
    public static ReceivedFrame Of(Frame frame) =>
        new(frame, frame.RgbLeft.Memory, frame.RgbRight.Memory, frame.DepthLeft.Memory, frame.DepthRight.Memory, null);

    public Frame Frame { get; }
    public ReadOnlyMemory<byte> RgbLeft { get; }
    public ReadOnlyMemory<byte> RgbRight { get; }
    public ReadOnlyMemory<byte> DepthLeft { get; }
    public ReadOnlyMemory<byte> DepthRight { get; }

    /// <summary>The frame with its images copied into the message, and the slot freed.</summary>
    public Frame Detach()
    {
        if (Frame.SharedMemory != null)
        {
            static ByteString Copy(ReadOnlyMemory<byte> image) =>
                image.IsEmpty ? ByteString.Empty : UnsafeByteOperations.UnsafeWrap(image.ToArray());
            (Frame.RgbLeft, Frame.RgbRight) = (Copy(RgbLeft), Copy(RgbRight));
            (Frame.DepthLeft, Frame.DepthRight) = (Copy(DepthLeft), Copy(DepthRight));
            Frame.SharedMemory = null;
        }
        Dispose();
        return Frame;
    }

    public void Dispose() => Interlocked.Exchange(ref _release, null)?.Invoke();
}
