using System.Reflection;
using System.Runtime.InteropServices;
using DistDepth.Capture.Zed;

namespace DistDepth.Capture.Tests;

/// <summary>The P/Invoke layer against the stand-in built as SDK 5.1 (zed-c-api tag v5.1).</summary>
public sealed class ZedSdk51Tests() : ZedSdkTests(StandInSdk.V51);

/// <summary>The P/Invoke layer against the stand-in built as SDK 5.2 (zed-c-api tag v5.2.1).</summary>
public sealed class ZedSdk52Tests() : ZedSdkTests(StandInSdk.V52);

/// <summary>
/// The P/Invoke layer end to end against the stand-in SDK (a C library built by the test with the
/// real header's symbols and layouts), once per verified SDK version. Each version is its own library,
/// and the tests of one class run one at a time, so nothing else touches a stand-in's state meanwhile.
/// </summary>
public abstract class ZedSdkTests(StandInSdk sdk)
{
    static readonly Type[] Structs =
    [
        typeof(SL_Quaternion), typeof(SL_Vector3), typeof(SL_Vector4), typeof(SL_Resolution), typeof(SL_InitParameters),
        typeof(SL_RuntimeParameters), typeof(SL_CameraParameters), typeof(SL_CalibrationParameters), typeof(SL_PositionalTrackingParameters),
    ];

    [Fact]
    public void StructSizesAndFieldOffsetsMatchTheCHeader()
    {
        int fields = 0;
        foreach (var type in Structs)
        {
            Assert.Equal(sdk.Layout(type.Name), Marshal.SizeOf(type));
            foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public))
            {
                long expected = sdk.Layout($"{type.Name}.{field.Name}");
                Assert.True(expected >= 0, $"{type.Name}.{field.Name} is not a field of the C struct");
                Assert.Equal(expected, (long)Marshal.OffsetOf(type, field.Name));
                fields++;
            }
        }
        Assert.Equal(68, fields); // the C table lists 68 fields; a field missing in C# would lower this
        Assert.Equal(84, Marshal.SizeOf<SL_InitParameters>());
        Assert.Equal(304, Marshal.SizeOf<SL_CalibrationParameters>());
    }

    [Fact]
    public void OpensGrabsRetrievesCalibratesAndCloses()
    {
        var warnings = new List<string>();
        using (var zed = new ZedSdkSource(new ZedSdkOptions { LibraryPath = sdk.Library, Resolution = ZedResolution.VGA, Fps = 100, Warn = warnings.Add }))
        {
            // What crossed the boundary into sl_open_camera / sl_grab / sl_enable_positional_tracking.
            var init = sdk.Last<SL_InitParameters>("standin_last_init");
            Assert.Equal((SL_INPUT_TYPE.USB, SL_RESOLUTION.VGA, 100, SL_DEPTH_MODE.NEURAL), (init.input_type, init.resolution, init.camera_fps, init.depth_mode));
            Assert.Equal((SL_UNIT.METER, SL_COORDINATE_SYSTEM.RIGHT_HANDED_Y_UP), (init.coordinate_unit, init.coordinate_system));
            Assert.True(init.enable_image_enhancement && init.enable_image_validity_check && !init.svo_real_time_mode);
            Assert.Equal(5f, init.open_timeout_sec);
            var tracking = sdk.Last<SL_PositionalTrackingParameters>("standin_last_tracking");
            Assert.True(tracking.enable_imu_fusion && tracking.set_gravity_as_origin && tracking.enable_area_memory);
            Assert.Equal((1f, SL_POSITIONAL_TRACKING_MODE.GEN_1), (tracking.initial_world_rotation.w, tracking.mode));

            Assert.Equal(31234567, zed.Serial);
            Assert.Equal((672, 376), (zed.Camera.Width, zed.Camera.Height));
            Assert.Equal(522.27f * 672 / 1280, zed.Camera.Intrinsics.Fx, 3);
            Assert.Equal(364.48f * 672 / 1280, zed.Camera.Intrinsics.Cy, 3);
            Assert.Equal(0.12f, zed.Camera.BaselineM, 6);

            for (int frame = 1; frame <= 3; frame++)
            {
                var pair = zed.Read()!;
                var runtime = sdk.Last<SL_RuntimeParameters>("standin_last_runtime");
                Assert.True(runtime.enable_depth && runtime.remove_saturated_areas && !runtime.enable_fill_mode);
                Assert.Equal((95, 100), (runtime.confidence_threshold, runtime.texture_confidence_threshold));
                // The stand-in's BGRA pattern, through padded rows and the BGRA -> RGB conversion.
                foreach (var (x, y) in new[] { (0, 0), (17, 5), (300, 200), (671, 375) })
                {
                    int i = (y * 672 + x) * 3;
                    Assert.Equal((byte)(x ^ y), pair.Left.Pixels[i]);
                    Assert.Equal((byte)(2 * y), pair.Left.Pixels[i + 1]);
                    Assert.Equal((byte)(x + 3 * frame), pair.Left.Pixels[i + 2]);
                    Assert.Equal((byte)(2 * y + 100), pair.Right.Pixels[i + 1]);
                    float depth = pair.Depth!.Metres[y * 672 + x];
                    if (x == 0) Assert.True(float.IsNaN(depth));
                    else Assert.Equal(1.5f + 0.001f * x + 0.1f * frame, depth, 4);
                }
                Assert.Equal(1_700_000_000_000_000_000L + frame * 33_333_333L, pair.TimestampNs);
                // Yaw 0.01 rad per frame about +y, 5 cm per frame along -z, 1.2 m up.
                float yaw = 0.01f * frame;
                Assert.Equal([MathF.Cos(yaw), 0, MathF.Sin(yaw), 0, 0, 1, 0, 1.2f, -MathF.Sin(yaw), 0, MathF.Cos(yaw), -0.05f * frame],
                    pair.Pose!, new FloatTolerance(1e-5f));
                Assert.Equal(0, pair.CorruptedFramesBefore);
            }
            // The version string was strdup'd for us and released; the calibration, which cannot be, was fetched once.
            Assert.Equal(0, sdk.Last<int>("standin_versions_outstanding"));
            Assert.Equal(1, sdk.Last<int>("standin_calibrations_allocated"));
        }
        Assert.Empty(warnings);
        Assert.Throws<ZedSdkException>(() => new ZedSdkSource(new ZedSdkOptions { LibraryPath = sdk.Library, Serial = 42 }));
    }

    [Fact]
    public void SvoPlaybackEndsAtTheEndOfTheFileAndRecordingWritesAnSvo()
    {
        var dir = TempFolder.New("svo");
        var svo = Path.Combine(dir, "walk.svo");
        File.WriteAllText(svo, "recorded elsewhere");
        var recorded = Path.Combine(dir, "copy.svo");
        int frames = 0;
        using (var zed = new ZedSdkSource(new ZedSdkOptions { LibraryPath = sdk.Library, SvoPath = svo, RecordSvoPath = recorded, Resolution = ZedResolution.VGA },
                   new OutputSize(320, 180)))
        {
            Assert.False(zed.IsLive);
            Assert.Equal((320, 180), (zed.Camera.Width, zed.Camera.Height));
            Assert.Equal(SL_INPUT_TYPE.SVO, sdk.Last<SL_InitParameters>("standin_last_init").input_type);
            Assert.True(zed.Skip(5));
            while (zed.Read() is { } pair)
            {
                Assert.Equal((320, 180), (pair.Left.Width, pair.Depth!.Height));
                frames++;
            }
        }
        Assert.Equal(30 - 5, frames);
        var lines = File.ReadAllLines(recorded);
        Assert.StartsWith($"standin svo compression={(int)SL_SVO_COMPRESSION_MODE.H264}", lines[0]);
        Assert.Equal(30, lines.Length - 1);
    }

    [Fact]
    public void ACorruptedFrameIsSkippedAndCountedAndARebootIsWaitedOut()
    {
        // sl_open_camera returns CONFIGURATION_FALLBACK; frame 3 is flagged; two grabs before frame 5 find the camera rebooting.
        var faulty = StandInSdk.Of(sdk.Version, "STANDIN_OPEN_WARNING=-4", "STANDIN_CORRUPTED_FRAME=3", "STANDIN_REBOOT_BEFORE_FRAME=5", "STANDIN_REBOOT_GRABS=2");
        var warnings = new List<string>();
        var frames = new List<(int Frame, int Corrupted)>();
        using (var zed = new ZedSdkSource(new ZedSdkOptions { LibraryPath = faulty.Library, Resolution = ZedResolution.VGA, Fps = 100, Warn = warnings.Add }))
        {
            for (int i = 0; i < 5; i++)
            {
                var pair = zed.Read()!;
                // The stand-in's blue channel at x = 0 is 3·frame: which frame the SDK handed over.
                frames.Add((pair.Left.Pixels[2] / 3, pair.CorruptedFramesBefore));
            }
            Assert.Equal(1, zed.CorruptedFrames);
        }
        Assert.Equal([(1, 0), (2, 0), (4, 1), (5, 0), (6, 0)], frames);
        Assert.Equal(3, warnings.Count);
        Assert.Contains("CONFIGURATION_FALLBACK (-4)", warnings[0]);
        Assert.Equal("sl_grab: CORRUPTED_FRAME (-2), frame skipped (1 so far)", warnings[1]);
        Assert.StartsWith("sl_grab: CAMERA_REBOOTING (-1), waiting", warnings[2]);
    }

    [Fact]
    public void ACameraIdOutsideTheCApisSlotsIsRefusedBeforeTheSdkIsTouched()
    {
        foreach (int id in new[] { -1, ZedApi.CameraSlots, 25 })
            Assert.Equal($"--camera-id {id}: the ZED C API has camera slots 0 to 19",
                Assert.Throws<ArgumentException>(() => new ZedSdkSource(new ZedSdkOptions { LibraryPath = sdk.Library, CameraId = id })).Message);
        // The last slot is a camera like any other (the stand-in aborts the process on an id past the array).
        using var zed = new ZedSdkSource(new ZedSdkOptions { LibraryPath = sdk.Library, CameraId = ZedApi.CameraSlots - 1, Resolution = ZedResolution.VGA, Fps = 100 });
        Assert.NotNull(zed.Read());
    }

    [Theory]
    [InlineData("4.2.5")]
    [InlineData("6.0.0")]
    [InlineData("5.0.7")] // its SL_PositionalTrackingParameters is two fields shorter
    public void AnUnverifiedVersionIsRefusedNamingBothVersions(string version)
    {
        var e = Assert.Throws<ZedSdkException>(() => ZedApi.Load(StandInSdk.Of(version).Library));
        Assert.Contains($"ZED SDK {version}, but these bindings follow the C API layouts of SDK 5.1 and 5.2", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void ANewerMinorLoadsOnlyWhenAllowedAndThenWarns()
    {
        var newer = StandInSdk.Of("5.3.0").Library;
        var refused = Assert.Throws<ZedSdkException>(() => ZedApi.Load(newer));
        Assert.Contains("is ZED SDK 5.3.0, newer than the verified 5.1 and 5.2", refused.Message);
        Assert.Contains("--zed-allow-newer-sdk", refused.Message);
        var warnings = new List<string>();
        Assert.Equal(new Version(5, 3), ZedApi.Load(newer, allowNewerMinor: true, warnings.Add).SdkVersion);
        Assert.Equal($"{newer} is ZED SDK 5.3.0, newer than the verified 5.1 and 5.2; --zed-allow-newer-sdk given, so its struct layouts are assumed unchanged",
            Assert.Single(warnings));
        Assert.Equal(sdk.Version[..3], ZedApi.Load(sdk.Library).SdkVersion.ToString()); // a verified version needs no flag
    }

    [Fact]
    public void AMissingOrBrokenLibraryIsOneClearMessage()
    {
        var missing = Assert.Throws<ZedSdkException>(() => ZedApi.Load("/nowhere/libsl_zed_c.so"));
        Assert.Equal("--zed-library /nowhere/libsl_zed_c.so: no such file", missing.Message);
        var notALibrary = Path.Combine(TempFolder.New("broken"), "libsl_zed_c.so");
        File.WriteAllText(notALibrary, "not an ELF file");
        var broken = Assert.Throws<ZedSdkException>(() => ZedApi.Load(notALibrary));
        Assert.Contains("exists but does not load", broken.Message);
        if (!Directory.Exists(ZedApi.DefaultDirectory))
            Assert.Contains("is not installed", Assert.Throws<ZedSdkException>(() => ZedApi.Load()).Message);
    }

    sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float a, float b) => MathF.Abs(a - b) <= tolerance;
        public int GetHashCode(float value) => 0;
    }
}
