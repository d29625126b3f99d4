namespace DistDepth.TrainingCore.RealRgbd;

/// <summary>How a benchmark stores depth in a 16-bit PNG.</summary>
public enum DepthEncoding
{
    /// <summary>Millimetres (ScanNet, Open3D's samples, most RGB-D cameras' raw output).</summary>
    Millimetres,
    /// <summary>TUM RGB-D: value / 5000 = metres.</summary>
    Tum,
    /// <summary>SUN RGB-D: millimetres rotated right by 3 bits (its toolbox's bitor(bitshift(d,-3), bitshift(d,13))).</summary>
    SunRgbd,
}

public static class DepthEncodings
{
    /// <summary>Metres from stored values; 0 stays 0 (invalid).</summary>
    public static float[] ToMetres(ushort[] stored, DepthEncoding encoding)
    {
        var metres = new float[stored.Length];
        for (int i = 0; i < stored.Length; i++)
        {
            int v = stored[i];
            metres[i] = encoding switch
            {
                DepthEncoding.Tum => v / 5000f,
                DepthEncoding.SunRgbd => (ushort)((v >> 3) | (v << 13)) / 1000f,
                _ => v / 1000f,
            };
        }
        return metres;
    }

    public static DepthEncoding Parse(string name) => name.ToLowerInvariant() switch
    {
        "mm" or "millimetres" or "scannet" => DepthEncoding.Millimetres,
        "tum" => DepthEncoding.Tum,
        "sunrgbd" or "sun-rgbd" => DepthEncoding.SunRgbd,
        _ => throw new ArgumentException($"--depth-format {name}: one of mm (also scannet), tum, sunrgbd"),
    };
}
