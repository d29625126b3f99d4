namespace DistDepth.Dataset;

/// <summary>
/// A textured box room ray-cast analytically: exact stereo pairs and z-depth with no simulator,
/// for demos and tests of the dataset format. The camera walks forward and turns a little each frame.
/// </summary>
public sealed class SyntheticRoom(int seed, int width, int height)
{
    const float Baseline = 0.1312f, HfovDegrees = 90f;
    readonly float roomWidth = 4f + seed % 3, roomDepth = 6f + seed % 4, roomHeight = 2.6f;

    public CameraIntrinsics Intrinsics
    {
        get
        {
            float f = width / 2f / MathF.Tan(HfovDegrees * MathF.PI / 360f);
            return new CameraIntrinsics(f, f, width / 2f, height / 2f);
        }
    }

    public IEnumerable<StereoFrame> Sequence(int sequenceIndex, int frames)
    {
        var rng = new Random(seed * 7919 + sequenceIndex);
        float x = roomWidth * (0.3f + 0.4f * rng.NextSingle()), z = -0.5f, yaw = 0.3f * (rng.NextSingle() - 0.5f);
        float camHeight = 1.3f + 0.4f * (rng.NextSingle() - 0.5f);
        for (int i = 0; i < frames; i++)
        {
            var pose = Pose(x, camHeight, z, yaw);
            var (left, depth) = Render(pose, 0f);
            var (right, _) = Render(pose, Baseline);
            yield return new StereoFrame
            {
                FrameIndex = i, TimestampNs = i * 100_000_000L, Source = FrameSource.Sim,
                Left = ImageCodec.EncodeRgb(left), Right = ImageCodec.EncodeRgb(right),
                Depth = ImageCodec.EncodeDepth(depth),
                Width = width, Height = height, Intrinsics = Intrinsics, BaselineM = Baseline, Pose = pose,
                MetaJson = $"{{\"generator\":\"synthetic-room\",\"seed\":\"{seed}\"}}",
            };
            z -= 0.1f;
            yaw += 0.02f * (rng.NextSingle() - 0.5f);
        }
    }

    // Camera-to-world 3x4 for a yaw about +y; habitat-sim axes (y up, camera looks down -z).
    static float[] Pose(float x, float y, float z, float yaw)
    {
        float c = MathF.Cos(yaw), s = MathF.Sin(yaw);
        return [c, 0, s, x, 0, 1, 0, y, -s, 0, c, z];
    }

    (RgbImage, DepthMap) Render(float[] pose, float offsetX)
    {
        var k = Intrinsics;
        var rgb = new byte[width * height * 3];
        var depth = new float[width * height];
        // The right camera sits offsetX along the left camera's +x axis.
        float ox = pose[3] + pose[0] * offsetX, oy = pose[7] + pose[4] * offsetX, oz = pose[11] + pose[8] * offsetX;
        Parallel.For(0, height, v =>
        {
            for (int u = 0; u < width; u++)
            {
                float cxr = (u + 0.5f - k.Cx) / k.Fx, cyr = -(v + 0.5f - k.Cy) / k.Fy;
                // Camera ray (cxr, cyr, -1) in world axes; its parameter t is the z-depth.
                float dx = pose[0] * cxr + pose[1] * cyr - pose[2];
                float dy = pose[4] * cxr + pose[5] * cyr - pose[6];
                float dz = pose[8] * cxr + pose[9] * cyr - pose[10];
                float t = MathF.Min(Exit(ox, dx, 0, roomWidth), MathF.Min(Exit(oy, dy, 0, roomHeight), Exit(oz, dz, -roomDepth, 0.5f)));
                int i = v * width + u;
                depth[i] = t;
                Texture(ox + t * dx, oy + t * dy, oz + t * dz, rgb.AsSpan(i * 3, 3));
            }
        });
        return (new RgbImage(width, height, rgb), new DepthMap(width, height, depth));
    }

    static float Exit(float o, float d, float lo, float hi) =>
        d > 1e-9f ? (hi - o) / d : d < -1e-9f ? (lo - o) / d : float.PositiveInfinity;

    // Coloured tiles with a fine grain: enough texture for photometric checks to mean something.
    void Texture(float x, float y, float z, Span<byte> rgb)
    {
        uint cell = Hash((int)MathF.Floor(x * 3), (int)MathF.Floor(y * 3), (int)MathF.Floor(z * 3), seed);
        float grain = 0.85f + 0.15f * MathF.Sin(x * 37f + y * 23f + z * 29f);
        rgb[0] = (byte)(grain * (60 + (cell & 0x7f)));
        rgb[1] = (byte)(grain * (60 + ((cell >> 8) & 0x7f)));
        rgb[2] = (byte)(grain * (60 + ((cell >> 16) & 0x7f)));
    }

    // HashCode.Combine is seeded per process; datasets must come out the same on every run.
    static uint Hash(int a, int b, int c, int d)
    {
        uint h = 2166136261;
        foreach (int v in (ReadOnlySpan<int>)[a, b, c, d]) h = (h ^ (uint)v) * 16777619;
        return h ^ (h >> 13);
    }
}
