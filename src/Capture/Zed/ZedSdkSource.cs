using System.Diagnostics;
using System.Text;
using DistDepth.Dataset;
using OpenCvSharp;

namespace DistDepth.Capture.Zed;

/// <summary>
/// A ZED through its SDK: rectified left/right, the SDK's depth in metres and its tracked pose, in
/// habitat-sim axes (RIGHT_HANDED_Y_UP). Live camera or SVO playback; optionally records an SVO.
/// The SDK's warnings (negative codes) do not stop a recording: a frame the image validity check flags is
/// skipped and counted, a rebooting camera is waited for, and anything else is reported once.
/// </summary>
public sealed unsafe class ZedSdkSource : IStereoSource
{
    readonly ZedApi api;
    readonly ZedSdkOptions options;
    readonly OutputSize? output;
    readonly int id;
    readonly int width, height;
    readonly nint left, right, depth;
    readonly StereoCamera native;
    readonly SL_RuntimeParameters runtime = new()
    {
        reference_frame = SL_REFERENCE_FRAME.CAMERA, enable_depth = true, enable_fill_mode = false,
        confidence_threshold = 95, texture_confidence_threshold = 100, remove_saturated_areas = true,
    };
    // A camera that flags this many frames in a row is broken ("a serious hardware or driver issue", types_c.h).
    const int MaxCorruptedInARow = 100;
    static readonly TimeSpan RebootTimeout = TimeSpan.FromSeconds(30);
    readonly HashSet<string> warned = [];
    int corruptedSinceLastPair;
    bool recording, disposed;

    public ZedSdkSource(ZedSdkOptions options, OutputSize? output = null)
    {
        if (options.SvoPath is not null && !File.Exists(options.SvoPath))
            throw new FileNotFoundException($"{options.SvoPath}: SVO file not found", options.SvoPath);
        if (options.SvoPath is null) options.Resolution.CheckFps(options.Fps);
        // The C API indexes a fixed array with the id, unchecked (ZEDController::get in zed-c-api).
        if (options.CameraId is < 0 or >= ZedApi.CameraSlots)
            throw new ArgumentException($"--camera-id {options.CameraId}: the ZED C API has camera slots 0 to {ZedApi.CameraSlots - 1}");
        api = ZedApi.Load(options.LibraryPath, options.AllowNewerSdk, options.Warn);
        this.options = options;
        this.output = output;
        id = options.CameraId;
        api.sl_create_camera(id);
        try
        {
            Open();
            width = api.sl_get_width(id);
            height = api.sl_get_height(id);
            left = api.sl_mat_create_new(width, height, SL_MAT_TYPE.U8_C4, SL_MEM.CPU);
            right = api.sl_mat_create_new(width, height, SL_MAT_TYPE.U8_C4, SL_MEM.CPU);
            depth = api.sl_mat_create_new(width, height, SL_MAT_TYPE.F32_C1, SL_MEM.CPU);
            native = RectifiedCamera();
            Camera = output?.Apply(native) ?? native;
            Serial = api.sl_get_zed_serial(id);
            StartTracking();
            if (options.RecordSvoPath is not null) StartRecording(options.RecordSvoPath);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public StereoCamera Camera { get; }
    public int Serial { get; }
    /// <summary>Frames the SDK flagged CORRUPTED_FRAME and this source skipped.</summary>
    public int CorruptedFrames { get; private set; }
    public string SdkVersion => api.SdkVersion.ToString();
    public bool IsLive => options.SvoPath is null;
    public string Description => (options.SvoPath is null ? $"ZED SDK camera {Serial} {options.Resolution.Name}@{options.Fps}" : $"ZED SDK SVO {Path.GetFileName(options.SvoPath)}")
        + $", depth {options.DepthMode}, SDK {api.SdkVersion}";

    void Open()
    {
        var init = new SL_InitParameters
        {
            input_type = options.SvoPath is null ? SL_INPUT_TYPE.USB : SL_INPUT_TYPE.SVO,
            resolution = options.Resolution.Sdk,
            camera_fps = options.Fps,
            camera_device_id = id,
            camera_image_flip = SL_FLIP_MODE.OFF,
            svo_real_time_mode = false,
            depth_mode = options.DepthMode,
            depth_stabilization = 30,
            depth_minimum_distance = -1,
            depth_maximum_distance = -1,
            // Metres and habitat-sim's axes, so depth and poses need no conversion.
            coordinate_unit = SL_UNIT.METER,
            coordinate_system = SL_COORDINATE_SYSTEM.RIGHT_HANDED_Y_UP,
            sdk_gpu_id = -1,
            sdk_verbose = 0,
            enable_image_enhancement = true,
            open_timeout_sec = 5,
            enable_image_validity_check = true,
        };
        fixed (byte* svo = Utf8(options.SvoPath ?? ""))
        fixed (byte* empty = Utf8(""))
        {
            int code = api.sl_open_camera(id, &init, options.Serial, svo, empty, 0, 0, empty, empty, empty);
            var what = options.SvoPath is not null ? $"SVO {options.SvoPath}" : options.Serial != 0 ? $"camera serial {options.Serial}" : $"camera id {id}";
            // CONFIGURATION_FALLBACK or POTENTIAL_CALIBRATION_ISSUE: open, and worth a line.
            Check(code, $"sl_open_camera ({what}, {options.Resolution.Name}@{options.Fps}, depth {options.DepthMode})");
        }
    }

    // Called once per camera: the C API allocates the struct with C++ new on every call
    // (ZEDController::getCalibrationParameters) and has no matching release; sl_free is C free().
    StereoCamera RectifiedCamera()
    {
        var calibration = api.sl_get_calibration_parameters(id, 0);
        if (calibration is null) throw new ZedSdkException("sl_get_calibration_parameters returned nothing");
        var cam = calibration->left_cam;
        // Rectified: only the baseline is left of the stereo transform, in the unit asked for (metres).
        return new StereoCamera(width, height, new CameraIntrinsics(cam.fx, cam.fy, cam.cx, cam.cy), Math.Abs(calibration->translation.x));
    }

    void StartTracking()
    {
        var tracking = new SL_PositionalTrackingParameters
        {
            initial_world_rotation = new SL_Quaternion { w = 1 },
            enable_area_memory = true, enable_imu_fusion = true, set_gravity_as_origin = true,
            depth_min_range = -1, mode = SL_POSITIONAL_TRACKING_MODE.GEN_1,
        };
        fixed (byte* area = Utf8(""))
            Check(api.sl_enable_positional_tracking(id, &tracking, area), "sl_enable_positional_tracking");
    }

    void StartRecording(string path)
    {
        fixed (byte* file = Utf8(path))
            Check(api.sl_enable_recording(id, file, SL_SVO_COMPRESSION_MODE.H264, 0, 0, 0), $"sl_enable_recording ({path})");
        recording = true;
    }

    public StereoPair? Read()
    {
        if (!Grab(runtime)) return null;
        Check(api.sl_retrieve_image(id, left, SL_VIEW.LEFT, SL_MEM.CPU, 0, 0, 0), "sl_retrieve_image (left)");
        Check(api.sl_retrieve_image(id, right, SL_VIEW.RIGHT, SL_MEM.CPU, 0, 0, 0), "sl_retrieve_image (right)");
        Check(api.sl_retrieve_measure(id, depth, SL_MEASURE.DEPTH, SL_MEM.CPU, 0, 0, 0), "sl_retrieve_measure (depth)");
        int corrupted = corruptedSinceLastPair;
        corruptedSinceLastPair = 0;
        using var l = View(left, MatType.CV_8UC4);
        using var r = View(right, MatType.CV_8UC4);
        using var d = View(depth, MatType.CV_32FC1);
        return new StereoPair(Image(l), Image(r), (long)api.sl_get_image_timestamp(id))
        {
            Depth = Depth(d),
            Pose = Pose(),
            CorruptedFramesBefore = corrupted,
        };
    }

    /// <summary>
    /// Grabs the next usable frame; false at the end of an SVO. Stereolabs' samples accept <c>&lt;= SUCCESS</c>;
    /// of the warnings, CORRUPTED_FRAME (enable_image_validity_check is on) marks an image not worth keeping,
    /// and CAMERA_REBOOTING brings no image at all.
    /// </summary>
    bool Grab(SL_RuntimeParameters parameters)
    {
        Stopwatch? rebooting = null;
        int corruptedInARow = 0;
        while (true)
        {
            int code = api.sl_grab(id, &parameters);
            switch ((SL_ERROR_CODE)code)
            {
                case SL_ERROR_CODE.END_OF_SVOFILE_REACHED:
                    return false;
                case SL_ERROR_CODE.CORRUPTED_FRAME:
                    CorruptedFrames++;
                    corruptedSinceLastPair++;
                    if (++corruptedInARow >= MaxCorruptedInARow)
                        throw new ZedSdkException($"sl_grab: {corruptedInARow} frames in a row flagged {ZedApi.Describe(code)}: check the camera's cable and driver");
                    options.Warn($"sl_grab: {ZedApi.Describe(code)}, frame skipped ({CorruptedFrames} so far)");
                    continue;
                case SL_ERROR_CODE.CAMERA_REBOOTING:
                    if (rebooting is null)
                    {
                        options.Warn($"sl_grab: {ZedApi.Describe(code)}, waiting up to {RebootTimeout.TotalSeconds:F0} s");
                        rebooting = Stopwatch.StartNew();
                    }
                    else if (rebooting.Elapsed > RebootTimeout)
                        throw new ZedSdkException($"sl_grab: the camera was still rebooting after {RebootTimeout.TotalSeconds:F0} s");
                    Thread.Sleep(50);
                    continue;
            }
            Check(code, "sl_grab");
            return true;
        }
    }

    /// <summary>Errors throw; a warning is reported the first time it comes from a call, not on every frame.</summary>
    void Check(int code, string call) => ZedApi.Check(code, call, message =>
    {
        if (warned.Add(message)) options.Warn(message);
    });

    // Wraps the SDK's CPU buffer without copying; rows may be padded, so the step comes from the SDK.
    Mat View(nint mat, MatType type) =>
        Mat.FromPixelData(height, width, type, api.sl_mat_get_ptr(mat, SL_MEM.CPU), api.sl_mat_get_step_bytes(mat, SL_MEM.CPU));

    RgbImage Image(Mat bgra)
    {
        if (output is null) return MatImages.ToRgb(bgra);
        using var resized = output.Apply(bgra);
        return MatImages.ToRgb(resized);
    }

    DepthMap Depth(Mat metres)
    {
        if (output is null) return MatImages.ToDepth(metres);
        using var resized = output.Apply(metres, isDepth: true);
        return MatImages.ToDepth(resized);
    }

    /// <summary>Camera-to-world 3x4 of the left camera; NaN while the SDK's tracking is not OK.</summary>
    float[] Pose()
    {
        SL_Quaternion q;
        SL_Vector3 t;
        if (api.sl_get_position(id, &q, &t, SL_REFERENCE_FRAME.WORLD) != (int)SL_POSITIONAL_TRACKING_STATE.OK)
            return Enumerable.Repeat(float.NaN, 12).ToArray();
        float x = q.x, y = q.y, z = q.z, w = q.w;
        return
        [
            1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w), t.x,
            2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w), t.y,
            2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y), t.z,
        ];
    }

    public bool Skip(int frames)
    {
        // Counts usable frames as Read does, so a resumed import lines up with an uninterrupted one.
        for (int i = 0; i < frames; i++)
            if (!Grab(runtime with { enable_depth = false })) return false;
        corruptedSinceLastPair = 0;
        return true;
    }

    static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text + "\0");

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        if (recording) api.sl_disable_recording(id);
        recording = false;
        foreach (var mat in new[] { left, right, depth })
            if (mat != 0) api.sl_mat_free(mat, SL_MEM.CPU);
        api.sl_close_camera(id);
    }
}
