using DistDepth.Dataset;
using PureHDF;
using PureHDF.Selections;
using PureHDF.VOL.Native;

namespace DistDepth.TrainingCore.RealRgbd;

/// <summary>
/// NYU Depth v2's `nyu_depth_v2_labeled.mat` (MATLAB v7.3, i.e. HDF5 after a 512-byte header): `images`
/// (uint8, HDF5 dims [N, 3, 640, 480], MATLAB's 480x640x3xN column-major) and `depths` (metres,
/// [N, 640, 480]), read one image at a time. The 654-image test split of Eigen et al. is `testNdxs`
/// of the toolbox's `splits.mat` (1-based). Their tables evaluate in the Eigen crop, rows 45-470 and
/// columns 41-600 of the 640x480 frame, with 0.01 &lt; GT &lt;= 10 m.
/// </summary>
public sealed class NyuV2Labeled : IDisposable
{
    public static readonly int[] EigenCrop = [41, 45, 601, 471];
    /// <summary>The Kinect's colour intrinsics from the NYU toolbox's camera_params.m.</summary>
    public static readonly CameraIntrinsics Intrinsics = new(518.857901f, 519.469611f, 325.582449f, 253.736166f);

    readonly string path;
    readonly NativeFile file;
    readonly IH5Dataset images, depths;
    readonly int width, height;

    public int Count { get; }

    NyuV2Labeled(string path, NativeFile file, IH5Dataset images, IH5Dataset depths, int count, int width, int height)
    {
        (this.path, this.file, this.images, this.depths, Count, this.width, this.height) = (path, file, images, depths, count, width, height);
    }

    public static NyuV2Labeled Open(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: not found");
        NativeFile file;
        try
        {
            file = H5File.OpenRead(path);
        }
        catch (Exception e) when (e is not IOException and not OutOfMemoryException)
        {
            throw new InvalidDataException($"{path}: not an HDF5 (MATLAB v7.3) file ({e.Message})");
        }
        try
        {
            if (!file.LinkExists("images") || !file.LinkExists("depths"))
                throw new InvalidDataException($"{path}: no `images` and `depths` datasets; is it nyu_depth_v2_labeled.mat?");
            var images = file.Dataset("images");
            var depths = file.Dataset("depths");
            var d = images.Space.Dimensions;
            var dd = depths.Space.Dimensions;
            if (d.Length != 4 || d[1] != 3 || dd.Length != 3 || dd[0] != d[0] || dd[1] != d[2] || dd[2] != d[3])
                throw new InvalidDataException($"{path}: `images` is [{string.Join(",", d)}] and `depths` [{string.Join(",", dd)}]; expected [N,3,W,H] and [N,W,H]");
            return new NyuV2Labeled(path, file, images, depths, (int)d[0], (int)d[2], (int)d[3]);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Image <paramref name="index"/> (0-based) as row-major RGB and metric depth.</summary>
    public (RgbImage Colour, DepthMap Depth) Read(int index)
    {
        if (index < 0 || index >= Count) throw new InvalidDataException($"{path}: image {index + 1} requested, the file has {Count}");
        int plane = width * height;
        var planar = images.Read<byte[]>(new HyperslabSelection(4, [(ulong)index, 0, 0, 0], [1, 3, (ulong)width, (ulong)height]), memoryDims: [(ulong)(3 * plane)]);
        var depthSelection = new HyperslabSelection(3, [(ulong)index, 0, 0], [1, (ulong)width, (ulong)height]);
        // MATLAB keeps `depths` in single precision; a file re-saved from double is read as such.
        var depthMetres = depths.Type.Size == 8
            ? depths.Read<double[]>(depthSelection, memoryDims: [(ulong)plane]).Select(v => (float)v).ToArray()
            : depths.Read<float[]>(depthSelection, memoryDims: [(ulong)plane]);
        var rgb = new byte[3 * plane];
        var metres = new float[plane];
        // HDF5's fastest axis is MATLAB's first (the row), so element (x, y) sits at x * height + y.
        for (int x = 0; x < width; x++)
            for (int y = 0; y < height; y++)
            {
                int source = x * height + y, target = y * width + x;
                for (int c = 0; c < 3; c++) rgb[3 * target + c] = planar[c * plane + source];
                metres[target] = depthMetres[source];
            }
        return (new RgbImage(width, height, rgb), new DepthMap(width, height, metres));
    }

    /// <summary>0-based indices of a split from splits.mat (`testNdxs` or `trainNdxs`, 1-based there).</summary>
    public static int[] Split(string splitsPath, string variable)
    {
        var variables = MatV5.ReadNumeric(splitsPath);
        if (!variables.TryGetValue(variable, out var indices))
            throw new InvalidDataException($"{splitsPath}: no variable `{variable}` (has {string.Join(", ", variables.Keys)})");
        return indices.Select(i => (int)i - 1).ToArray();
    }

    public void Dispose() => file.Dispose();
}
