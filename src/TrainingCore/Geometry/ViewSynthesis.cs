using static TorchSharp.torch;

namespace DistDepth.TrainingCore.Geometry;

/// <summary>
/// Reconstructs the target view from a source view: back-project target pixels with their depth
/// and K^-1, move them with T, project with K, sample the source bilinearly with border padding.
/// Pixel centres sit at integer coordinates, so the sampling grid is normalised by (size - 1) and
/// sampled with align_corners = true (monodepth2's geometry, without its align_corners mismatch).
/// </summary>
public static class ViewSynthesis
{
    const double Eps = 1e-7;

    /// <param name="depth">[B,1,H,W] metric depth of the target view.</param>
    /// <param name="intrinsics">[B,4,4] K in pixels at H x W.</param>
    /// <returns>Homogeneous camera points [B,4,H*W].</returns>
    public static Tensor Backproject(Tensor depth, Tensor intrinsics)
    {
        long b = depth.shape[0], h = depth.shape[2], w = depth.shape[3];
        var ys = arange(h, dtype: depth.dtype, device: depth.device).view(h, 1).expand(h, w);
        var xs = arange(w, dtype: depth.dtype, device: depth.device).view(1, w).expand(h, w);
        var pixels = stack([xs, ys, ones(h, w, dtype: depth.dtype, device: depth.device)], 0).view(1, 3, h * w);
        var rays = linalg.inv(intrinsics)[.., ..3, ..3].matmul(pixels);
        var points = depth.view(b, 1, h * w) * rays;
        return cat([points, ones(b, 1, h * w, dtype: depth.dtype, device: depth.device)], 1);
    }

    /// <returns>Sampling grid [B,H,W,2] in [-1, 1] for grid_sample with align_corners = true.</returns>
    public static Tensor Project(Tensor points, Tensor intrinsics, Tensor transform, long height, long width)
    {
        var camera = intrinsics[.., ..3, ..].matmul(transform).matmul(points);
        var pixels = camera[.., ..2, ..] / (camera[.., 2..3, ..] + Eps);
        var scale = tensor(new float[] { 2f / (width - 1), 2f / (height - 1) }, dtype: points.dtype, device: points.device).view(1, 2, 1);
        return (pixels * scale - 1).view(-1, 2, height, width).permute(0, 2, 3, 1);
    }

    /// <summary>The source image resampled into the target view.</summary>
    public static Tensor Warp(Tensor source, Tensor depth, Tensor intrinsics, Tensor transform)
    {
        long h = depth.shape[2], w = depth.shape[3];
        var grid = Project(Backproject(depth, intrinsics), intrinsics, transform, h, w);
        return nn.functional.grid_sample(source, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Border, align_corners: true);
    }
}
