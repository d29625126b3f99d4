namespace DistDepth.SimProtocol.Tests;

/// <summary>The stereo check training relies on: the right camera sits baseline along the left's +x,
/// so a left pixel at depth z shows up fx * baseline / z pixels further left in the right image.</summary>
public static class StereoWarp
{
    /// <summary>Mean absolute RGB difference between left and the right image sampled at the
    /// disparity (warped) or at the same pixel (unwarped), over left pixels with depth whose match
    /// falls inside the right image.</summary>
    public static (double Warped, double Unwarped, int Pixels) PhotometricErrors(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right,
        float[] leftDepth, int width, int height, float fx, float baseline)
    {
        double warped = 0, unwarped = 0;
        var pixels = 0;
        for (var v = 0; v < height; v++)
        for (var u = 0; u < width; u++)
        {
            var z = leftDepth[v * width + u];
            if (z <= 0) continue;
            var x = u - fx * baseline / z;
            var x0 = (int)MathF.Floor(x);
            if (x0 < 0 || x0 + 1 >= width) continue;
            var t = x - x0;
            for (var c = 0; c < 3; c++)
            {
                var l = left[(v * width + u) * 3 + c];
                var r = (1 - t) * right[(v * width + x0) * 3 + c] + t * right[(v * width + x0 + 1) * 3 + c];
                warped += Math.Abs(l - r);
                unwarped += Math.Abs(l - right[(v * width + u) * 3 + c]);
            }
            pixels++;
        }
        return (warped / Math.Max(1, pixels * 3), unwarped / Math.Max(1, pixels * 3), pixels);
    }
}
