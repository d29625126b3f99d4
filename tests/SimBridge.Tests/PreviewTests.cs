using DistDepth.Dataset;

namespace DistDepth.SimBridge.Tests;

/// <summary>Issue 15, point 4: contact sheets show every frame or evenly spaced ones, and one colour
/// map keeps void apart from far.</summary>
public sealed class PreviewTests
{
    private static StereoFrame Frame(int index, int size = 16)
    {
        var depth = Enumerable.Range(0, size * size).Select(i => i % 7 == 0 ? 0f : 1f + i % 5).ToArray();
        var rgb = new RgbImage(size, size, Enumerable.Repeat((byte)(10 * index), size * size * 3).ToArray());
        return new StereoFrame
        {
            FrameIndex = index, Left = ImageCodec.EncodeRgb(rgb), Right = ImageCodec.EncodeRgb(rgb),
            Depth = ImageCodec.EncodeDepth(new DepthMap(size, size, depth)), Width = size, Height = size,
            Intrinsics = new CameraIntrinsics(8, 8, 8, 8), BaselineM = 0.1f, Pose = new float[12],
        };
    }

    [Fact]
    public void Long_sequences_are_sampled_evenly_with_both_ends()
    {
        Assert.Equal([0, 1, 2, 3, 5, 6, 7, 9], ContactSheet.Pick(10, 8));
        Assert.Equal([0, 1, 2, 3, 4], ContactSheet.Pick(5, 8));
        Assert.Equal([0, 42, 85, 128, 170, 213, 256, 299], ContactSheet.Pick(300, 8));
    }

    [Fact]
    public void Sheet_has_one_row_per_shown_frame_under_a_caption()
    {
        var ten = ImageCodec.DecodeRgb(ContactSheet.Render(Enumerable.Range(0, 10).Select(i => Frame(i)).ToList()));
        var three = ImageCodec.DecodeRgb(ContactSheet.Render(Enumerable.Range(0, 3).Select(i => Frame(i)).ToList()));
        Assert.Equal(3 * 16, ten.Width);
        Assert.Equal(ten.Height - 8 * 16, three.Height - 3 * 16); // the same caption strip on both
        Assert.InRange(ten.Height - 8 * 16, 10, 30);
        // The last row is frame 9 (grey level 90), not frame 7: the sheet reaches the end of the sequence.
        Assert.Equal(90, ten.Pixels[3 * (ten.Width * (ten.Height - 1) + 8)]);
    }

    [Fact]
    public void Void_is_grey_and_far_is_dark()
    {
        var colour = DepthColormap.Colourise(new DepthMap(3, 1, [0f, 1f, 20f]));
        Assert.Equal([128, 128, 128], colour.Pixels[0..3]);
        Assert.True(colour.Pixels[6..9].Sum(b => b) < 60, "far should be near-black");
        Assert.True(colour.Pixels[3..6].Sum(b => b) > 400, "near should be bright");
    }
}
