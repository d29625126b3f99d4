"""The stereo rig as habitat-sim sensors, and the pose arithmetic the protocol needs.

Rotations travel as (w, x, y, z) tuples. Towards habitat-sim they go as coefficient lists in its
x, y, z, w order (AgentState/SixDOFPose accept those); back from it they are numpy-quaternions,
which `wxyz` reads."""
import math
from dataclasses import dataclass, field, replace

import habitat_sim
import numpy as np

from distdepth.sim.v1 import simulator_pb2 as pb

MAX_SIZE = 4096
# Protocol output -> (sensor uuid, sensor type). The probe sensor lets trajectories measure what
# the left camera sees (wall distance, void) even when depth is not asked for.
SENSORS = {
    pb.OUTPUT_RGB_LEFT: ("rgb_left", habitat_sim.SensorType.COLOR),
    pb.OUTPUT_RGB_RIGHT: ("rgb_right", habitat_sim.SensorType.COLOR),
    pb.OUTPUT_DEPTH_LEFT: ("depth_left", habitat_sim.SensorType.DEPTH),
    pb.OUTPUT_DEPTH_RIGHT: ("depth_right", habitat_sim.SensorType.DEPTH),
}
PROBE = "depth_left"


@dataclass(frozen=True)
class Rig:
    """SimSIN's rig by default: 13.12 cm baseline, 512x512, 90 deg, habitat's 1.5 m sensor height."""
    baseline_m: float = 0.1312
    width: int = 512
    height: int = 512
    hfov_deg: float = 90.0
    camera_height_m: float = 1.5
    outputs: tuple = field(default=tuple(SENSORS))
    exposure_jitter: float = 0.0
    mount_rotation_rad: tuple = (0.0, 0.0, 0.0)  # like habitat's sensor `orientation`: x, then y, then z

    def merged(self, update):
        """The fields set in the protocol message `update` on top of this rig."""
        changes = {name: getattr(update, name) for name in
                   ("baseline_m", "width", "height", "hfov_deg", "camera_height_m", "exposure_jitter")
                   if update.HasField(name)}
        if update.outputs:
            changes["outputs"] = tuple(o for o in SENSORS if o in set(update.outputs))
        if update.HasField("mount_rotation_rad"):
            m = update.mount_rotation_rad
            changes["mount_rotation_rad"] = (m.x, m.y, m.z)
        return replace(self, **changes)

    def validate(self):
        """Raises ValueError naming the bad field and its range (the embedded server's ranges)."""
        if not (0 < self.width <= MAX_SIZE and 0 < self.height <= MAX_SIZE):
            raise ValueError(f"rig size {self.width}x{self.height} is invalid: width and height must be 1..{MAX_SIZE} pixels")
        if not 0 < self.baseline_m <= 10:
            raise ValueError(f"rig baseline {self.baseline_m} m is invalid: it must be > 0 and <= 10 m (SimSIN uses 0.1312)")
        if not 0 < self.hfov_deg < 180:
            raise ValueError(f"rig hfov {self.hfov_deg} deg is invalid: it must be between 0 and 180 degrees, exclusive")
        if not 0 <= self.camera_height_m <= 10:
            raise ValueError(f"rig camera height {self.camera_height_m} m is invalid: it must be 0..10 m above the floor")
        if not 0 <= self.exposure_jitter <= 1:
            raise ValueError(f"rig exposure jitter {self.exposure_jitter} is invalid: it is a gain std-dev in 0..1")
        if not all(abs(a) <= math.pi / 2 for a in self.mount_rotation_rad):
            raise ValueError(f"rig mount rotation {self.mount_rotation_rad} rad is invalid: each angle must be within +-pi/2 (SimSIN uses +-0.4)")
        if not self.outputs:
            raise ValueError("rig outputs are empty: ask for at least one of RGB/depth left/right")

    def to_proto(self):
        return pb.StereoRig(baseline_m=self.baseline_m, width=self.width, height=self.height, hfov_deg=self.hfov_deg,
                            camera_height_m=self.camera_height_m, outputs=list(self.outputs),
                            exposure_jitter=self.exposure_jitter,
                            mount_rotation_rad=pb.Vec3(x=self.mount_rotation_rad[0], y=self.mount_rotation_rad[1],
                                                       z=self.mount_rotation_rad[2]))

    def camera_rotation(self, head):
        """The left camera's rotation (w, x, y, z) for the head's: the mount turns the rigid pair."""
        x, y, z = self.mount_rotation_rad
        mount = multiply(multiply((math.cos(z / 2), 0.0, 0.0, math.sin(z / 2)), (math.cos(y / 2), 0.0, math.sin(y / 2), 0.0)),
                         (math.cos(x / 2), math.sin(x / 2), 0.0, 0.0))
        return multiply(head, mount)

    def intrinsics(self):
        """habitat-sim has no getter for these: square pixels, principal point at the centre."""
        f = (self.width / 2) / math.tan(math.radians(self.hfov_deg) / 2)
        return pb.Intrinsics(width=self.width, height=self.height, fx=f, fy=f, cx=self.width / 2, cy=self.height / 2)

    def sensor_uuids(self):
        return {SENSORS[o][0] for o in self.outputs} | {PROBE}

    def sensor_key(self):
        """What the Simulator's sensors are made with: a change of any of these needs new render targets."""
        return self.width, self.height, self.hfov_deg, frozenset(self.sensor_uuids())

    def sensor_specifications(self):
        """Pinhole sensors, all at the agent's origin: every render places them (sensor_states), since
        camera height, baseline, jitter and head pitch change without new render targets."""
        specs = []
        for uuid, sensor_type in SENSORS.values():
            if uuid not in self.sensor_uuids():
                continue
            spec = habitat_sim.CameraSensorSpec()
            spec.uuid = uuid
            spec.sensor_type = sensor_type
            spec.sensor_subtype = habitat_sim.SensorSubType.PINHOLE
            spec.resolution = [self.height, self.width]
            spec.hfov = self.hfov_deg
            spec.position = np.zeros(3)
            specs.append(spec)
        return specs

    def sensor_states(self, left_position, rotation):
        """Each sensor's world pose for the left camera at `left_position` with `rotation` (w, x, y, z)."""
        right_position = left_position + rotate(rotation, habitat_sim.geo.RIGHT * self.baseline_m)
        return {uuid: habitat_sim.agent.SixDOFPose(position=right_position if uuid.endswith("right") else left_position,
                                                   rotation=coeffs(rotation))
                for uuid in self.sensor_uuids()}


def quat_yaw_pitch(yaw, pitch):
    """Yaw about +y (0 faces -z, positive turns left), then pitch about the turned +x (positive up)."""
    cy, sy, cp, sp = math.cos(yaw / 2), math.sin(yaw / 2), math.cos(pitch / 2), math.sin(pitch / 2)
    return (cy * cp, cy * sp, sy * cp, -sy * sp)


def multiply(a, b):
    aw, ax, ay, az = a
    bw, bx, by, bz = b
    return (aw * bw - ax * bx - ay * by - az * bz, aw * bx + ax * bw + ay * bz - az * by,
            aw * by - ax * bz + ay * bw + az * bx, aw * bz + ax * by - ay * bx + az * bw)


def rotate(q, v):
    w, x, y, z = q
    u = np.array([x, y, z])
    v = np.asarray(v, dtype=float)
    return v + 2 * np.cross(u, np.cross(u, v) + w * v)


def yaw_pitch(q):
    forward = rotate(q, habitat_sim.geo.FRONT)
    return math.atan2(-forward[0], -forward[2]), math.asin(max(-1.0, min(1.0, forward[1])))


def wxyz(rotation):
    """(w, x, y, z) of a numpy-quaternion (what habitat-sim returns) or of a coefficient array in
    habitat's x, y, z, w order."""
    if hasattr(rotation, "w"):
        return (float(rotation.w), float(rotation.x), float(rotation.y), float(rotation.z))
    x, y, z, w = (float(c) for c in rotation)
    return (w, x, y, z)


def coeffs(q):
    """habitat-sim's x, y, z, w coefficient list (a list: set_state converts lists, not arrays, for sensors)."""
    w, x, y, z = q
    return [x, y, z, w]
