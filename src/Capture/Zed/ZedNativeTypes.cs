using System.Runtime.InteropServices;

namespace DistDepth.Capture.Zed;

// Mirrors of the ZED C API structs and enums (stereolabs/zed-c-api, include/sl/c_api/types_c.h) for the
// SDK versions in ZedApi.VerifiedVersions. Names follow the header so that a layout can be
// compared field by field with it; every struct is blittable so it crosses P/Invoke unmarshalled.
#pragma warning disable IDE1006 // C names on purpose

/// <summary>C99 <c>bool</c>: one byte (a .NET bool would marshal as a 4-byte BOOL).</summary>
public readonly record struct CBool(byte Value)
{
    public static implicit operator bool(CBool b) => b.Value != 0;
    public static implicit operator CBool(bool b) => new(b ? (byte)1 : (byte)0);
}

/// <summary>Negative codes are warnings: the call did its work. SENSOR_CONFIGURATION_CHANGED appeared in 5.2.</summary>
public enum SL_ERROR_CODE
{
    SENSOR_CONFIGURATION_CHANGED = -6, POTENTIAL_CALIBRATION_ISSUE = -5, CONFIGURATION_FALLBACK = -4,
    SENSORS_DATA_REQUIRED = -3, CORRUPTED_FRAME = -2, CAMERA_REBOOTING = -1,
    SUCCESS = 0, FAILURE, NO_GPU_COMPATIBLE, NOT_ENOUGH_GPU_MEMORY, CAMERA_NOT_DETECTED, SENSORS_NOT_INITIALIZED,
    SENSORS_NOT_AVAILABLE, INVALID_RESOLUTION, LOW_USB_BANDWIDTH, CALIBRATION_FILE_NOT_AVAILABLE,
    INVALID_CALIBRATION_FILE, INVALID_SVO_FILE, SVO_RECORDING_ERROR, SVO_UNSUPPORTED_COMPRESSION,
    END_OF_SVOFILE_REACHED, INVALID_COORDINATE_SYSTEM, INVALID_FIRMWARE, INVALID_FUNCTION_PARAMETERS, CUDA_ERROR,
    CAMERA_NOT_INITIALIZED, NVIDIA_DRIVER_OUT_OF_DATE, INVALID_FUNCTION_CALL, CORRUPTED_SDK_INSTALLATION,
    INCOMPATIBLE_SDK_VERSION, INVALID_AREA_FILE, INCOMPATIBLE_AREA_FILE, CAMERA_FAILED_TO_SETUP,
    CAMERA_DETECTION_ISSUE, CANNOT_START_CAMERA_STREAM, NO_GPU_DETECTED, PLANE_NOT_FOUND,
    MODULE_NOT_COMPATIBLE_WITH_CAMERA, MOTION_SENSORS_REQUIRED, MODULE_NOT_COMPATIBLE_WITH_CUDA_VERSION, DRIVER_FAILURE,
}

public enum SL_RESOLUTION { HD4K, QHDPLUS, HD2K, HD1536, HD1080, HD1200, HD720, SVGA, VGA, AUTO }
public enum SL_UNIT { MILLIMETER, CENTIMETER, METER, INCH, FOOT }
public enum SL_COORDINATE_SYSTEM { IMAGE, LEFT_HANDED_Y_UP, RIGHT_HANDED_Y_UP, RIGHT_HANDED_Z_UP, LEFT_HANDED_Z_UP, RIGHT_HANDED_Z_UP_X_FWD }
public enum SL_MEM { CPU, GPU, BOTH }
public enum SL_INPUT_TYPE { USB, SVO, STREAM, GMSL }
public enum SL_REFERENCE_FRAME { WORLD, CAMERA }
public enum SL_FLIP_MODE { OFF, ON, AUTO }
public enum SL_DEPTH_MODE { NONE, PERFORMANCE, QUALITY, ULTRA, NEURAL_LIGHT, NEURAL, NEURAL_PLUS }
public enum SL_SVO_COMPRESSION_MODE { LOSSLESS, H264, H265, H264_LOSSLESS, H265_LOSSLESS }
public enum SL_MAT_TYPE { F32_C1, F32_C2, F32_C3, F32_C4, U8_C1, U8_C2, U8_C3, U8_C4, U16_C1, S8_C4 }
public enum SL_VIEW { LEFT, RIGHT }
public enum SL_MEASURE { DISPARITY, DEPTH }
public enum SL_POSITIONAL_TRACKING_MODE { GEN_1, GEN_2, GEN_3 }
public enum SL_POSITIONAL_TRACKING_STATE { SEARCHING, OK, OFF, FPS_TOO_LOW, SEARCHING_FLOOR_PLANE, UNAVAILABLE }

[StructLayout(LayoutKind.Sequential)]
public struct SL_Quaternion { public float x, y, z, w; }

[StructLayout(LayoutKind.Sequential)]
public struct SL_Vector3 { public float x, y, z; }

[StructLayout(LayoutKind.Sequential)]
public struct SL_Vector4 { public float x, y, z, w; }

[StructLayout(LayoutKind.Sequential)]
public struct SL_Resolution { public int width, height; }

[StructLayout(LayoutKind.Sequential)]
public struct SL_InitParameters
{
    public SL_INPUT_TYPE input_type;
    public SL_RESOLUTION resolution;
    public int camera_fps;
    public int camera_device_id;
    public SL_FLIP_MODE camera_image_flip;
    public CBool camera_disable_self_calib;
    public CBool enable_right_side_measure;
    public CBool svo_real_time_mode;
    public SL_DEPTH_MODE depth_mode;
    public int depth_stabilization;
    public float depth_minimum_distance;
    public float depth_maximum_distance;
    public SL_UNIT coordinate_unit;
    public SL_COORDINATE_SYSTEM coordinate_system;
    public int sdk_gpu_id;
    public int sdk_verbose;
    public CBool sensors_required;
    public CBool enable_image_enhancement;
    public float open_timeout_sec;
    public CBool async_grab_camera_recovery;
    public float grab_compute_capping_fps;
    public CBool enable_image_validity_check;
    public SL_Resolution maximum_working_resolution;
}

[StructLayout(LayoutKind.Sequential)]
public struct SL_RuntimeParameters
{
    public SL_REFERENCE_FRAME reference_frame;
    public CBool enable_depth;
    public CBool enable_fill_mode;
    public int confidence_threshold;
    public int texture_confidence_threshold;
    public CBool remove_saturated_areas;
}

[StructLayout(LayoutKind.Sequential)]
public unsafe struct SL_CameraParameters
{
    public float fx, fy, cx, cy;
    /// <summary>k1, k2, p1, p2, k3, k4, k5, k6, s1, s2, s3, s4.</summary>
    public fixed double disto[12];
    public float v_fov, h_fov, d_fov;
    public SL_Resolution image_size;
    public float focal_length_metric;
}

[StructLayout(LayoutKind.Sequential)]
public struct SL_CalibrationParameters
{
    public SL_CameraParameters left_cam;
    public SL_CameraParameters right_cam;
    public SL_Vector4 rotation;
    public SL_Vector3 translation;
}

[StructLayout(LayoutKind.Sequential)]
public struct SL_PositionalTrackingParameters
{
    public SL_Quaternion initial_world_rotation;
    public SL_Vector3 initial_world_position;
    public CBool enable_area_memory;
    public CBool enable_pose_smoothing;
    public CBool set_floor_as_origin;
    public CBool set_as_static;
    public CBool enable_imu_fusion;
    public float depth_min_range;
    public CBool set_gravity_as_origin;
    public SL_POSITIONAL_TRACKING_MODE mode;
    public CBool enable_localization_only;
    public CBool enable_2d_ground_mode;
}
