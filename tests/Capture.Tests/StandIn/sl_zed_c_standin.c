/*
 * A stand-in for the ZED SDK C API (libsl_zed_c.so) used by the Capture tests: it exports the sl_*
 * functions the toolkit binds, with the argument lists and struct layouts of stereolabs/zed-c-api
 * include/sl/c_api/types_c.h, and produces deterministic frames, depth, poses and calibration, so the
 * P/Invoke layer can be exercised end to end without a camera, CUDA or the SDK.
 * The structs below are declared identically by types_c.h at tags v5.1 and v5.2.1 and at HEAD 04e3d2b
 * (checked by compiling the three headers); the 5.1 and 5.2 builds differ only in the version reported
 * and in SL_ERROR_CODE_SENSOR_CONFIGURATION_CHANGED (-6), which 5.2 added. (v5.0's
 * SL_PositionalTrackingParameters lacks enable_localization_only and enable_2d_ground_mode.)
 * Behaviour imitated from the wrapper's sources (src/zed_interface.cpp, src/ZEDController.cpp/.hpp):
 * - sl_get_sdk_version returns a strdup'd copy the caller must release with sl_free (exported since v5.1);
 * - sl_get_calibration_parameters allocates a new struct on every call (ZEDController::getCalibrationParameters);
 * - the camera id indexes ZEDController::instance[MAX_CAMERA_PLUGIN] unchecked (20 slots, the CMake build
 *   defines WITH_UNLIMITED_CAMERA): here an id outside that array aborts instead of corrupting memory;
 * - sl_grab returns the SDK's code as an int, negative codes being warnings (types_c.h, enum SL_ERROR_CODE):
 *   with enable_image_validity_check a bad frame is CORRUPTED_FRAME, and while a camera recovers from a
 *   lost link grab returns CAMERA_REBOOTING (documented at SL_InitParameters.async_grab_camera_recovery).
 * A live camera is paced at the requested fps, as a real one blocks in sl_grab.
 * standin_* functions are test hooks: struct layouts as this compiler sees them, what was passed in,
 * and what is still allocated.
 *
 * Build: cc -shared -fPIC -O1 -o libsl_zed_c.so sl_zed_c_standin.c -lm
 *   [-DSTANDIN_SDK_MAJOR=5 -DSTANDIN_SDK_MINOR=1 -DSTANDIN_SDK_PATCH=2]
 *   [-DSTANDIN_OPEN_WARNING=-4]          sl_open_camera opens the camera but returns this warning
 *   [-DSTANDIN_CORRUPTED_FRAME=3]        grab of that frame returns CORRUPTED_FRAME (the frame is consumed)
 *   [-DSTANDIN_REBOOT_BEFORE_FRAME=5 -DSTANDIN_REBOOT_GRABS=2]  that many grabs return CAMERA_REBOOTING first
 */
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef STANDIN_SDK_MAJOR
#define STANDIN_SDK_MAJOR 5
#define STANDIN_SDK_MINOR 2
#define STANDIN_SDK_PATCH 1
#endif
#define STANDIN_TEXT(x) #x
#define STANDIN_VERSION_TEXT(major, minor, patch) STANDIN_TEXT(major) "." STANDIN_TEXT(minor) "." STANDIN_TEXT(patch)
#ifndef STANDIN_OPEN_WARNING
#define STANDIN_OPEN_WARNING 0
#endif
#ifndef STANDIN_CORRUPTED_FRAME
#define STANDIN_CORRUPTED_FRAME 0
#endif
#ifndef STANDIN_REBOOT_BEFORE_FRAME
#define STANDIN_REBOOT_BEFORE_FRAME 0
#define STANDIN_REBOOT_GRABS 0
#endif
#define MAX_CAMERA_PLUGIN 20 /* types_c.h with WITH_UNLIMITED_CAMERA, as CMakeLists.txt builds it */
#define STANDIN_SERIAL 31234567
#define STANDIN_SVO_FRAMES 30

struct SL_Quaternion { float x, y, z, w; };
struct SL_Vector3 { float x, y, z; };
struct SL_Vector4 { float x, y, z, w; };
struct SL_Resolution { int width, height; };

struct SL_InitParameters {
    int input_type;            /* enum SL_INPUT_TYPE */
    int resolution;            /* enum SL_RESOLUTION */
    int camera_fps;
    int camera_device_id;
    int camera_image_flip;     /* enum SL_FLIP_MODE */
    bool camera_disable_self_calib;
    bool enable_right_side_measure;
    bool svo_real_time_mode;
    int depth_mode;            /* enum SL_DEPTH_MODE */
    int depth_stabilization;
    float depth_minimum_distance;
    float depth_maximum_distance;
    int coordinate_unit;       /* enum SL_UNIT */
    int coordinate_system;     /* enum SL_COORDINATE_SYSTEM */
    int sdk_gpu_id;
    int sdk_verbose;
    bool sensors_required;
    bool enable_image_enhancement;
    float open_timeout_sec;
    bool async_grab_camera_recovery;
    float grab_compute_capping_fps;
    bool enable_image_validity_check;
    struct SL_Resolution maximum_working_resolution;
};

struct SL_RuntimeParameters {
    int reference_frame;       /* enum SL_REFERENCE_FRAME */
    bool enable_depth;
    bool enable_fill_mode;
    int confidence_threshold;
    int texture_confidence_threshold;
    bool remove_saturated_areas;
};

struct SL_CameraParameters {
    float fx, fy, cx, cy;
    double disto[12];
    float v_fov, h_fov, d_fov;
    struct SL_Resolution image_size;
    float focal_length_metric;
};

struct SL_CalibrationParameters {
    struct SL_CameraParameters left_cam;
    struct SL_CameraParameters right_cam;
    struct SL_Vector4 rotation;
    struct SL_Vector3 translation;
};

struct SL_PositionalTrackingParameters {
    struct SL_Quaternion initial_world_rotation;
    struct SL_Vector3 initial_world_position;
    bool enable_area_memory;
    bool enable_pose_smoothing;
    bool set_floor_as_origin;
    bool set_as_static;
    bool enable_imu_fusion;
    float depth_min_range;
    bool set_gravity_as_origin;
    int mode;                  /* enum SL_POSITIONAL_TRACKING_MODE */
    bool enable_localization_only;
    bool enable_2d_ground_mode;
};

enum { CORRUPTED_FRAME = -2, CAMERA_REBOOTING = -1,
       SUCCESS = 0, CAMERA_NOT_DETECTED = 4, INVALID_RESOLUTION = 7, INVALID_SVO_FILE = 11, SVO_RECORDING_ERROR = 12,
       END_OF_SVOFILE_REACHED = 14, INVALID_FUNCTION_PARAMETERS = 17, CAMERA_NOT_INITIALIZED = 19 };
enum { INPUT_USB = 0, INPUT_SVO = 1 };
enum { RES_HD2K = 2, RES_HD1080 = 4, RES_HD720 = 6, RES_VGA = 8 };
enum { UNIT_MILLIMETER = 0, UNIT_CENTIMETER = 1, UNIT_METER = 2 };
enum { MAT_F32_C1 = 0, MAT_U8_C4 = 7 };
enum { MEASURE_DEPTH = 1 };
enum { TRACKING_OK = 1, TRACKING_OFF = 2 };

struct standin_mat { int width, height, type, step; unsigned char *data; };

static struct {
    bool opened, tracking;
    int width, height, frame, svo_frames, reboot_grabs_left;
    struct SL_InitParameters init;
    struct SL_RuntimeParameters runtime;
    struct SL_PositionalTrackingParameters tracking_params;
    struct SL_CalibrationParameters calibration;
    FILE *recording;
    double next_frame_at;
} cam;

static double now_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static float unit_per_metre(void) {
    switch (cam.init.coordinate_unit) {
    case UNIT_MILLIMETER: return 1000.f;
    case UNIT_CENTIMETER: return 100.f;
    default: return 1.f;
    }
}

/* What the caller has been handed and not released (versions strings) or cannot release (calibrations). */
static int versions_outstanding, calibrations_allocated;

/* ZEDController::get(i) reads instance[i] with no bounds check. */
static void instance_slot(int camera_id) {
    if (camera_id < 0 || camera_id >= MAX_CAMERA_PLUGIN) {
        fprintf(stderr, "standin: camera id %d is outside ZEDController::instance[%d]\n", camera_id, MAX_CAMERA_PLUGIN);
        abort();
    }
}

char *sl_get_sdk_version(void) {
    versions_outstanding++;
    return strdup(STANDIN_VERSION_TEXT(STANDIN_SDK_MAJOR, STANDIN_SDK_MINOR, STANDIN_SDK_PATCH));
}

#if STANDIN_SDK_MAJOR > 5 || (STANDIN_SDK_MAJOR == 5 && STANDIN_SDK_MINOR >= 1)
/* zed_interface.cpp has exported sl_free since v5.1. Only version strings reach it from the bindings;
 * the real one is free() on anything. */
void sl_free(void *ptr) {
    if (ptr) versions_outstanding--;
    free(ptr);
}
#endif

bool sl_create_camera(int camera_id) { instance_slot(camera_id); return true; }

int sl_open_camera(int camera_id, struct SL_InitParameters *init, const unsigned int serial_number, const char *path_svo,
                   const char *ip, int stream_port, int gmsl_port, const char *output_file, const char *opt_settings_path,
                   const char *opencv_calib_path) {
    (void)ip; (void)stream_port; (void)gmsl_port; (void)output_file; (void)opt_settings_path; (void)opencv_calib_path;
    instance_slot(camera_id);
    memset(&cam, 0, sizeof cam);
    cam.init = *init;
    if (serial_number != 0 && serial_number != STANDIN_SERIAL) return CAMERA_NOT_DETECTED;
    if (init->input_type == INPUT_SVO) {
        FILE *f = path_svo ? fopen(path_svo, "rb") : NULL;
        if (!f) return INVALID_SVO_FILE;
        fclose(f);
        cam.svo_frames = STANDIN_SVO_FRAMES;
    }
    switch (init->resolution) {
    case RES_HD2K: cam.width = 2208; cam.height = 1242; break;
    case RES_HD1080: cam.width = 1920; cam.height = 1080; break;
    case RES_HD720: cam.width = 1280; cam.height = 720; break;
    case RES_VGA: cam.width = 672; cam.height = 376; break;
    default: return INVALID_RESOLUTION;
    }
    /* UniSIN's HD720 intrinsics, scaled to the mode; a rectified pair: only the baseline remains. */
    float s = cam.width / 1280.f;
    struct SL_CameraParameters p = { .fx = 522.27f * s, .fy = 522.27f * s, .cx = 658.70f * s, .cy = 364.48f * s,
                                     .image_size = { cam.width, cam.height } };
    cam.calibration.left_cam = p;
    cam.calibration.right_cam = p;
    cam.calibration.rotation.w = 1;
    cam.calibration.translation.x = 0.12f * unit_per_metre();
    cam.opened = true;
    cam.next_frame_at = now_seconds();
    cam.reboot_grabs_left = STANDIN_REBOOT_GRABS;
    return STANDIN_OPEN_WARNING;
}

void sl_close_camera(int camera_id) {
    instance_slot(camera_id);
    if (cam.recording) fclose(cam.recording);
    cam.recording = NULL;
    cam.opened = false;
}

int sl_grab(int camera_id, struct SL_RuntimeParameters *runtime) {
    instance_slot(camera_id);
    if (!cam.opened) return CAMERA_NOT_INITIALIZED;
    if (cam.init.input_type == INPUT_SVO && cam.frame >= cam.svo_frames) return END_OF_SVOFILE_REACHED;
    if (cam.frame + 1 == STANDIN_REBOOT_BEFORE_FRAME && cam.reboot_grabs_left > 0) {
        cam.reboot_grabs_left--;
        return CAMERA_REBOOTING; /* no new image */
    }
    if (cam.init.input_type == INPUT_USB && cam.init.camera_fps > 0) {
        double wait = cam.next_frame_at - now_seconds();
        if (wait > 0) {
            struct timespec t = { (time_t)wait, (long)((wait - (time_t)wait) * 1e9) };
            nanosleep(&t, NULL);
        }
        cam.next_frame_at += 1.0 / cam.init.camera_fps;
    }
    cam.runtime = *runtime;
    cam.frame++;
    if (cam.recording) fprintf(cam.recording, "frame %d\n", cam.frame);
    /* The validity check runs on the grabbed image: the frame is consumed, and flagged. */
    if (cam.frame == STANDIN_CORRUPTED_FRAME && cam.init.enable_image_validity_check) return CORRUPTED_FRAME;
    return SUCCESS;
}

int sl_get_width(int camera_id) { instance_slot(camera_id); return cam.width; }
int sl_get_height(int camera_id) { instance_slot(camera_id); return cam.height; }
int sl_get_zed_serial(int camera_id) { instance_slot(camera_id); return STANDIN_SERIAL; }
unsigned long long sl_get_image_timestamp(int camera_id) {
    instance_slot(camera_id);
    return 1700000000000000000ULL + (unsigned long long)cam.frame * 33333333ULL;
}
int sl_get_svo_number_of_frames(int camera_id) { instance_slot(camera_id); return cam.init.input_type == INPUT_SVO ? cam.svo_frames : -1; }

struct SL_CalibrationParameters *sl_get_calibration_parameters(int camera_id, bool raw_params) {
    (void)raw_params;
    instance_slot(camera_id);
    if (!cam.opened) return NULL;
    struct SL_CalibrationParameters *copy = malloc(sizeof *copy);
    *copy = cam.calibration;
    calibrations_allocated++;
    return copy;
}

/* Rows are padded to 64 bytes, as GPU-friendly allocations are, so callers must honour the step. */
void *sl_mat_create_new(int width, int height, int type, int mem) {
    (void)mem;
    struct standin_mat *m = calloc(1, sizeof *m);
    m->width = width; m->height = height; m->type = type;
    m->step = (width * 4 + 63) / 64 * 64; /* U8_C4 and F32_C1 both take 4 bytes a pixel */
    m->data = calloc((size_t)m->step * height, 1);
    return m;
}
int *sl_mat_get_ptr(void *ptr, int mem) { (void)mem; return (int *)((struct standin_mat *)ptr)->data; }
int sl_mat_get_step_bytes(void *ptr, int mem) { (void)mem; return ((struct standin_mat *)ptr)->step; }
void sl_mat_free(void *ptr, int mem) {
    (void)mem;
    struct standin_mat *m = ptr;
    if (!m) return;
    free(m->data);
    free(m);
}

/* BGRA: B follows x and the frame, G follows y and the view, R = x xor y. */
int sl_retrieve_image(int camera_id, void *image_ptr, int view, int mem, int width, int height, void *custream) {
    instance_slot(camera_id); (void)mem; (void)custream;
    struct standin_mat *m = image_ptr;
    if (!cam.opened) return CAMERA_NOT_INITIALIZED;
    if ((width && width != cam.width) || (height && height != cam.height) || m->type != MAT_U8_C4 || m->width != cam.width)
        return INVALID_FUNCTION_PARAMETERS;
    for (int y = 0; y < cam.height; y++) {
        unsigned char *row = m->data + (size_t)y * m->step;
        for (int x = 0; x < cam.width; x++) {
            row[4 * x + 0] = (unsigned char)(x + 3 * cam.frame);
            row[4 * x + 1] = (unsigned char)(2 * y + 100 * view);
            row[4 * x + 2] = (unsigned char)(x ^ y);
            row[4 * x + 3] = 255;
        }
    }
    return SUCCESS;
}

/* Depth = 1.5 m + 1 mm per column + 0.1 m per frame, in the requested unit; column 0 is NaN (occlusion). */
int sl_retrieve_measure(int camera_id, void *measure_ptr, int type, int mem, int width, int height, void *custream) {
    instance_slot(camera_id); (void)mem; (void)custream; (void)width; (void)height;
    struct standin_mat *m = measure_ptr;
    if (!cam.opened) return CAMERA_NOT_INITIALIZED;
    if (type != MEASURE_DEPTH || m->type != MAT_F32_C1) return INVALID_FUNCTION_PARAMETERS;
    for (int y = 0; y < cam.height; y++) {
        float *row = (float *)(m->data + (size_t)y * m->step);
        for (int x = 0; x < cam.width; x++)
            row[x] = x == 0 ? NAN : (1.5f + 0.001f * x + 0.1f * cam.frame) * unit_per_metre();
    }
    return SUCCESS;
}

int sl_enable_positional_tracking(int camera_id, struct SL_PositionalTrackingParameters *params, const char *area_file_path) {
    instance_slot(camera_id); (void)area_file_path;
    cam.tracking_params = *params;
    cam.tracking = true;
    return SUCCESS;
}

/* The camera turns 0.01 rad per frame about +y and walks 5 cm per frame along -z, 1.2 m up. */
int sl_get_position(int camera_id, struct SL_Quaternion *rotation, struct SL_Vector3 *position, int reference_frame) {
    instance_slot(camera_id); (void)reference_frame;
    if (!cam.tracking) return TRACKING_OFF;
    float yaw = 0.01f * cam.frame;
    rotation->x = 0; rotation->y = sinf(yaw / 2); rotation->z = 0; rotation->w = cosf(yaw / 2);
    position->x = 0; position->y = 1.2f * unit_per_metre(); position->z = -0.05f * cam.frame * unit_per_metre();
    return TRACKING_OK;
}

int sl_enable_recording(int camera_id, const char *filename, int compression_mode, unsigned int bitrate, int target_fps, bool transcode) {
    instance_slot(camera_id);
    cam.recording = fopen(filename, "w");
    if (!cam.recording) return SVO_RECORDING_ERROR;
    fprintf(cam.recording, "standin svo compression=%d bitrate=%u fps=%d transcode=%d\n", compression_mode, bitrate, target_fps, transcode);
    return SUCCESS;
}

void sl_disable_recording(int camera_id) {
    instance_slot(camera_id);
    if (cam.recording) fclose(cam.recording);
    cam.recording = NULL;
}

/* ---- test hooks ---- */

#define SIZE(s) { #s, sizeof(struct s) },
#define FIELD(s, f) { #s "." #f, offsetof(struct s, f) },
static const struct { const char *name; size_t value; } layout[] = {
    SIZE(SL_Quaternion) FIELD(SL_Quaternion, x) FIELD(SL_Quaternion, y) FIELD(SL_Quaternion, z) FIELD(SL_Quaternion, w)
    SIZE(SL_Vector3) FIELD(SL_Vector3, x) FIELD(SL_Vector3, y) FIELD(SL_Vector3, z)
    SIZE(SL_Vector4) FIELD(SL_Vector4, x) FIELD(SL_Vector4, y) FIELD(SL_Vector4, z) FIELD(SL_Vector4, w)
    SIZE(SL_Resolution) FIELD(SL_Resolution, width) FIELD(SL_Resolution, height)
    SIZE(SL_InitParameters)
    FIELD(SL_InitParameters, input_type) FIELD(SL_InitParameters, resolution) FIELD(SL_InitParameters, camera_fps)
    FIELD(SL_InitParameters, camera_device_id) FIELD(SL_InitParameters, camera_image_flip)
    FIELD(SL_InitParameters, camera_disable_self_calib) FIELD(SL_InitParameters, enable_right_side_measure)
    FIELD(SL_InitParameters, svo_real_time_mode) FIELD(SL_InitParameters, depth_mode) FIELD(SL_InitParameters, depth_stabilization)
    FIELD(SL_InitParameters, depth_minimum_distance) FIELD(SL_InitParameters, depth_maximum_distance)
    FIELD(SL_InitParameters, coordinate_unit) FIELD(SL_InitParameters, coordinate_system) FIELD(SL_InitParameters, sdk_gpu_id)
    FIELD(SL_InitParameters, sdk_verbose) FIELD(SL_InitParameters, sensors_required) FIELD(SL_InitParameters, enable_image_enhancement)
    FIELD(SL_InitParameters, open_timeout_sec) FIELD(SL_InitParameters, async_grab_camera_recovery)
    FIELD(SL_InitParameters, grab_compute_capping_fps) FIELD(SL_InitParameters, enable_image_validity_check)
    FIELD(SL_InitParameters, maximum_working_resolution)
    SIZE(SL_RuntimeParameters)
    FIELD(SL_RuntimeParameters, reference_frame) FIELD(SL_RuntimeParameters, enable_depth) FIELD(SL_RuntimeParameters, enable_fill_mode)
    FIELD(SL_RuntimeParameters, confidence_threshold) FIELD(SL_RuntimeParameters, texture_confidence_threshold)
    FIELD(SL_RuntimeParameters, remove_saturated_areas)
    SIZE(SL_CameraParameters)
    FIELD(SL_CameraParameters, fx) FIELD(SL_CameraParameters, fy) FIELD(SL_CameraParameters, cx) FIELD(SL_CameraParameters, cy)
    FIELD(SL_CameraParameters, disto) FIELD(SL_CameraParameters, v_fov) FIELD(SL_CameraParameters, h_fov)
    FIELD(SL_CameraParameters, d_fov) FIELD(SL_CameraParameters, image_size) FIELD(SL_CameraParameters, focal_length_metric)
    SIZE(SL_CalibrationParameters)
    FIELD(SL_CalibrationParameters, left_cam) FIELD(SL_CalibrationParameters, right_cam)
    FIELD(SL_CalibrationParameters, rotation) FIELD(SL_CalibrationParameters, translation)
    SIZE(SL_PositionalTrackingParameters)
    FIELD(SL_PositionalTrackingParameters, initial_world_rotation) FIELD(SL_PositionalTrackingParameters, initial_world_position)
    FIELD(SL_PositionalTrackingParameters, enable_area_memory) FIELD(SL_PositionalTrackingParameters, enable_pose_smoothing)
    FIELD(SL_PositionalTrackingParameters, set_floor_as_origin) FIELD(SL_PositionalTrackingParameters, set_as_static)
    FIELD(SL_PositionalTrackingParameters, enable_imu_fusion) FIELD(SL_PositionalTrackingParameters, depth_min_range)
    FIELD(SL_PositionalTrackingParameters, set_gravity_as_origin) FIELD(SL_PositionalTrackingParameters, mode)
    FIELD(SL_PositionalTrackingParameters, enable_localization_only) FIELD(SL_PositionalTrackingParameters, enable_2d_ground_mode)
};

/* sizeof("SL_X") or offsetof("SL_X.field"); -1 if the name is not in the table. */
long standin_layout(const char *name) {
    for (size_t i = 0; i < sizeof layout / sizeof layout[0]; i++)
        if (strcmp(layout[i].name, name) == 0) return (long)layout[i].value;
    return -1;
}

const struct SL_InitParameters *standin_last_init(void) { return &cam.init; }
const struct SL_RuntimeParameters *standin_last_runtime(void) { return &cam.runtime; }
const struct SL_PositionalTrackingParameters *standin_last_tracking(void) { return &cam.tracking_params; }
const int *standin_versions_outstanding(void) { return &versions_outstanding; }
const int *standin_calibrations_allocated(void) { return &calibrations_allocated; }
