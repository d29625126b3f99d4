"""The simulator protocol on habitat-sim. One habitat Simulator per session. Every habitat call
runs on one thread: habitat-sim's GL context belongs to the thread that made it, and one GPU
renders one frame at a time anyway (run several servers to use several GPUs)."""
import math
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import grpc
import habitat_sim
import numpy as np

from distdepth.sim.v1 import simulator_pb2 as pb

from frame_ring import FrameRing
from rig import Rig, coeffs, quat_yaw_pitch, wxyz, yaw_pitch
from scenes import SceneNotFound
from trajectories import Planner, PlanningError, Settings

AGENT_RADIUS_M = 0.1  # habitat's default agent
MOVE_STEP_M = 0.25
TURN_STEP_DEG = 10.0
MAX_PITCH = math.radians(80)
MAX_TRAJECTORY_FRAMES = 1_000_000
MODES = {pb.TRAJECTORY_MODE_UNSPECIFIED: "navigate", pb.TRAJECTORY_MODE_NAVIGATE: "navigate",
         pb.TRAJECTORY_MODE_WALK_INTO_WALL: "walk_into_wall", pb.TRAJECTORY_MODE_STARE_AT_WALL: "stare_at_wall",
         pb.TRAJECTORY_MODE_LOOK_INTO_VOID: "look_into_void"}
OUTPUT_NAMES = {pb.OUTPUT_RGB_LEFT: "rgb_left", pb.OUTPUT_RGB_RIGHT: "rgb_right",
                pb.OUTPUT_DEPTH_LEFT: "depth_left", pb.OUTPUT_DEPTH_RIGHT: "depth_right"}
NO_FLOOR = "the scene has no navmesh (none shipped with it and none could be computed): no navigable floor"


class Session:
    """A scene, a rig and an agent: where it stands (floor point), its body yaw and head pitch."""

    def __init__(self, scene_info, sim_cfg):
        self.id = uuid.uuid4().hex
        self.scene = scene_info
        self.sim_cfg = sim_cfg
        self.rig = Rig()
        self.sim = habitat_sim.Simulator(self._configuration())
        self.agent = self.sim.initialize_agent(0)
        pathfinder = self.sim.pathfinder
        if not pathfinder.is_loaded:
            settings = habitat_sim.NavMeshSettings()
            settings.set_defaults()
            settings.agent_radius = AGENT_RADIUS_M
            settings.agent_height = self.rig.camera_height_m
            self.sim.recompute_navmesh(pathfinder, settings)
        pathfinder.seed(0)
        start = np.asarray(pathfinder.get_random_navigable_point(), dtype=float).reshape(3) if pathfinder.is_loaded else np.zeros(3)
        self.position = start if np.all(np.isfinite(start)) else np.zeros(3)
        self.yaw = self.pitch = 0.0
        self.collided = False
        self.frames_rendered = 0
        self.gate = threading.Lock()

    def _configuration(self):
        agent_cfg = habitat_sim.agent.AgentConfiguration()
        agent_cfg.radius = AGENT_RADIUS_M
        agent_cfg.sensor_specifications = self.rig.sensor_specifications()
        agent_cfg.action_space = {name: habitat_sim.agent.ActionSpec(name, habitat_sim.agent.ActuationSpec(amount=amount))
                                  for name, amount in (("move_forward", MOVE_STEP_M), ("turn_left", TURN_STEP_DEG),
                                                       ("turn_right", TURN_STEP_DEG))}
        return habitat_sim.Configuration(self.sim_cfg, [agent_cfg])

    def configure(self, rig):
        sensors_change = replace(rig, exposure_jitter=0.0) != replace(self.rig, exposure_jitter=0.0)
        self.rig = rig
        if sensors_change:
            self.sim.reconfigure(self._configuration())
            self.agent = self.sim.get_agent(0)

    def place(self, position, yaw, pitch=0.0, height_offset=0.0):
        """Puts the body at `position` facing `yaw` and the rig's cameras above it with `pitch`;
        returns the left camera pose (position, (w, x, y, z))."""
        rotation = self.rig.camera_rotation(quat_yaw_pitch(yaw, pitch))
        left = np.asarray(position, dtype=float) + (self.rig.camera_height_m + height_offset) * habitat_sim.geo.UP
        state = habitat_sim.agent.AgentState()
        state.position = np.asarray(position, dtype=float)
        state.rotation = coeffs(quat_yaw_pitch(yaw, 0.0))
        state.sensor_states = self.rig.sensor_states(left, rotation)
        self.agent.set_state(state, infer_sensor_states=False)
        return left, rotation

    def close(self):
        self.sim.close()


def _vec3(v):
    return pb.Vec3(x=float(v[0]), y=float(v[1]), z=float(v[2]))


def _pose(position, q):
    return pb.Pose(position=_vec3(position), rotation=pb.Quat(w=q[0], x=q[1], y=q[2], z=q[3]))


def _inline(frame, images):
    """The frame with its images in the message itself."""
    for name, image in images.items():
        setattr(frame, name, image.tobytes())
    return frame


def _array(v):
    return np.array([v.x, v.y, v.z], dtype=float)


class SimulatorService:
    def __init__(self, catalog, version):
        self.catalog = catalog
        self.version = version
        self.sessions = {}
        self.habitat = ThreadPoolExecutor(max_workers=1, thread_name_prefix="habitat")

    def _on_habitat(self, fn, *args):
        return self.habitat.submit(fn, *args).result()

    def _session(self, session_id, context, pop=False):
        session = self.sessions.pop(session_id, None) if pop else self.sessions.get(session_id)
        if session is None:
            context.abort(grpc.StatusCode.NOT_FOUND, f"session '{session_id}' not found: call LoadScene first and pass its "
                          "session_id (sessions end with CloseSession or a server restart)")
        return session

    def GetInfo(self, request, context):
        return pb.ServerInfo(name="habitat-sim", version=self.version,
                             scene_kinds=[pb.SCENE_KIND_HABITAT, pb.SCENE_KIND_PLY, pb.SCENE_KIND_GLTF],
                             exposure_jitter=True, trajectory_modes=[m for m in MODES if m != pb.TRAJECTORY_MODE_UNSPECIFIED])

    def ListScenes(self, request, context):
        return pb.ListScenesResponse(scenes=self.catalog.list())

    def LoadScene(self, request, context):
        if not request.scene_id.strip():
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "scene_id is empty: give a ListScenes id or a scene path")
        try:
            habitat_id, info = self.catalog.resolve(request.scene_id)
        except SceneNotFound as e:
            context.abort(grpc.StatusCode.NOT_FOUND, str(e))
        sim_cfg = habitat_sim.SimulatorConfiguration()
        sim_cfg.scene_id = habitat_id
        sim_cfg.scene_dataset_config_file = self.catalog.dataset_config
        sim_cfg.enable_physics = False
        try:
            session = self._on_habitat(Session, info, sim_cfg)
        except RuntimeError as e:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, f"scene '{request.scene_id}' cannot be used: {e}")
        self.sessions[session.id] = session
        pathfinder = session.sim.pathfinder
        bounds = pathfinder.get_bounds() if pathfinder.is_loaded else (np.zeros(3), np.zeros(3))
        # habitat-sim does not count triangles for us; bounds are the navmesh's.
        return pb.LoadSceneResponse(session_id=session.id, scene=info, triangle_count=0, bounds_min=_vec3(bounds[0]),
                                    bounds_max=_vec3(bounds[1]), navigable_area_m2=pathfinder.navigable_area,
                                    rig=session.rig.to_proto())

    def CloseSession(self, request, context):
        session = self._session(request.session_id, context, pop=True)
        with session.gate:
            self._on_habitat(session.close)
        return pb.CloseSessionResponse()

    def ConfigureRig(self, request, context):
        session = self._session(request.session_id, context)
        with session.gate:
            rig = session.rig.merged(request.rig)
            try:
                rig.validate()
            except ValueError as e:
                context.abort(grpc.StatusCode.INVALID_ARGUMENT, str(e))
            self._on_habitat(session.configure, rig)
            return rig.to_proto()

    def SampleNavigablePoint(self, request, context):
        session = self._session(request.session_id, context)
        pathfinder = session.sim.pathfinder

        def sample():
            pathfinder.seed(request.seed % 2 ** 32)
            return np.asarray(pathfinder.get_random_navigable_point(), dtype=float).reshape(3)

        with session.gate:
            point = self._on_habitat(sample) if pathfinder.is_loaded else np.full(3, np.nan)
        if not np.all(np.isfinite(point)):
            context.abort(grpc.StatusCode.FAILED_PRECONDITION, NO_FLOOR)
        return pb.SampleNavigablePointResponse(point=_vec3(point))

    def ShortestPath(self, request, context):
        session = self._session(request.session_id, context)
        if not session.sim.pathfinder.is_loaded:
            context.abort(grpc.StatusCode.FAILED_PRECONDITION, NO_FLOOR)
        path = habitat_sim.ShortestPath()
        path.requested_start = _array(request.start)
        path.requested_end = _array(request.end)
        with session.gate:
            found = self._on_habitat(session.sim.pathfinder.find_path, path)
        if not found:
            return pb.ShortestPathResponse(found=False, geodesic_distance=math.inf)
        return pb.ShortestPathResponse(found=True, points=[_vec3(p) for p in path.points],
                                       geodesic_distance=path.geodesic_distance)

    def SetPose(self, request, context):
        session = self._session(request.session_id, context)
        pose = request.agent
        q = (pose.rotation.w, pose.rotation.x, pose.rotation.y, pose.rotation.z)
        norm = math.sqrt(sum(c * c for c in q))
        position = _array(pose.position)
        if not pose.HasField("rotation") or not math.isfinite(norm) or norm < 1e-6 or not np.all(np.isfinite(position)):
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "pose rotation must be a finite, non-zero quaternion (w, x, y, z) and the position finite")
        with session.gate:
            session.position = position
            session.yaw, session.pitch = yaw_pitch(tuple(c / norm for c in q))
            session.collided = False
            return self._state(session)

    def Step(self, request, context):
        session = self._session(request.session_id, context)
        with session.gate:
            if request.action in (pb.ACTION_LOOK_UP, pb.ACTION_LOOK_DOWN):
                # Camera only, as habitat's look actions; our sensor poses are set per render anyway.
                turn = math.radians(TURN_STEP_DEG) * (1 if request.action == pb.ACTION_LOOK_UP else -1)
                session.pitch = max(-MAX_PITCH, min(MAX_PITCH, session.pitch + turn))
                session.collided = False
            else:
                action = {pb.ACTION_MOVE_FORWARD: "move_forward", pb.ACTION_TURN_LEFT: "turn_left",
                          pb.ACTION_TURN_RIGHT: "turn_right"}.get(request.action)
                if action is None:
                    context.abort(grpc.StatusCode.INVALID_ARGUMENT, f"action {request.action} is not one of MOVE_FORWARD, "
                                  "TURN_LEFT, TURN_RIGHT, LOOK_UP, LOOK_DOWN")
                self._on_habitat(self._act, session, action)
            response = pb.StepResponse(state=self._state(session))
            if request.render:
                response.frame.CopyFrom(self._render_current(session))
            return response

    @staticmethod
    def _act(session, action):
        session.place(session.position, session.yaw)
        observations = session.sim.step(action)
        state = session.agent.get_state()
        session.position = np.asarray(state.position, dtype=float).reshape(3)
        session.yaw = yaw_pitch(wxyz(state.rotation))[0]
        session.collided = bool(observations["collided"])

    def Render(self, request, context):
        session = self._session(request.session_id, context)
        with session.gate:
            return self._render_current(session)

    def RunTrajectory(self, request, context):
        session = self._session(request.session_id, context)
        if not 0 < request.frame_count <= MAX_TRAJECTORY_FRAMES:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, f"frame_count {request.frame_count} must be 1..{MAX_TRAJECTORY_FRAMES}")
        settings = self._trajectory_settings(request, context)
        if not session.sim.pathfinder.is_loaded:
            context.abort(grpc.StatusCode.FAILED_PRECONDITION, NO_FLOOR)

        def probe(position, yaw, pitch):
            session.place(position, yaw, pitch)
            return session.sim.get_sensor_observations()["depth_left"]

        frames = Planner(session.sim.pathfinder, probe).plan(settings)
        ring = FrameRing.open(request.shared_memory) if request.HasField("shared_memory") else None
        try:
            for index in range(settings.frame_count):
                with session.gate:
                    try:
                        planned = self._on_habitat(next, frames)
                    except PlanningError as e:
                        context.abort(grpc.StatusCode.FAILED_PRECONDITION, str(e))
                    session.position, session.yaw, session.pitch, session.collided = (
                        planned.position, planned.yaw, planned.pitch, planned.collided)
                    frame, images = self._render(session, planned.yaw_jitter, planned.pitch_jitter, planned.height_jitter,
                                                 index, request.seed * 1_000_003 + index)
                    # Still under the gate: the images may be views of habitat's sensor buffers.
                    if ring is not None and ring.fits(sum(len(image) for image in images.values())):
                        # In the proto's field order, so the lengths in FrameSlot say where each image starts.
                        ordered = [images.get(name, b"") for name in OUTPUT_NAMES.values()]
                        slot = ring.write(ordered, context.is_active)
                        if slot is None:
                            return
                        frame.shared_memory.CopyFrom(pb.FrameSlot(slot=slot, **{f"{name}_bytes": len(image)
                                                                                 for name, image in zip(OUTPUT_NAMES.values(), ordered)}))
                    else:
                        _inline(frame, images)
                yield frame
        finally:
            if ring is not None:
                ring.close()

    @staticmethod
    def _trajectory_settings(r, context):
        defaults = Settings(MODES.get(r.mode, ""), r.seed, r.frame_count)
        if not defaults.mode:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, f"trajectory mode {r.mode} is unknown")
        s = Settings(defaults.mode, r.seed, r.frame_count,
                     *(getattr(r, name) if r.HasField(name) else getattr(defaults, name)
                       for name in ("step_m", "yaw_jitter_deg", "pitch_jitter_deg", "height_jitter_m")))
        if not 0 < s.step_m <= 5:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, f"step_m {s.step_m} must be in (0, 5] metres")
        if not (0 <= s.yaw_jitter_deg <= 90 and 0 <= s.pitch_jitter_deg <= 90 and 0 <= s.height_jitter_m <= 1):
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "jitter must be non-negative: yaw/pitch <= 90 deg, height <= 1 m")
        return s

    def _render_current(self, session):
        frame, images = self._render(session, 0.0, 0.0, 0.0, session.frames_rendered, session.frames_rendered)
        return _inline(frame, images)

    def _render(self, session, yaw_jitter, pitch_jitter, height_jitter, index, seed):
        rig = session.rig

        def observe():
            camera = session.place(session.position, session.yaw + yaw_jitter, session.pitch + pitch_jitter, height_jitter)
            return camera, session.sim.get_sensor_observations()

        (left, rotation), observations = self._on_habitat(observe)
        session.frames_rendered += 1
        gain = 1.0
        if rig.exposure_jitter > 0:
            gain = float(np.clip(1 + rig.exposure_jitter * np.random.default_rng(seed).standard_normal(), 0.25, 4.0))
        frame = pb.Frame(index=index, left_camera=_pose(left, rotation), intrinsics=rig.intrinsics(),
                         baseline_m=rig.baseline_m, collided=session.collided, exposure_gain=gain)
        images = {}
        for output in rig.outputs:
            name = OUTPUT_NAMES[output]
            image = observations[name]
            if name.startswith("rgb"):
                rgb = image[..., :3]  # habitat gives RGBA
                if gain != 1.0:
                    rgb = np.clip(rgb * gain, 0, 255).round()
                image = np.ascontiguousarray(rgb, dtype=np.uint8)
            else:
                image = np.ascontiguousarray(image.reshape(rig.height, rig.width), dtype="<f4")
            images[name] = memoryview(image).cast("B")
        return frame, images

    @staticmethod
    def _state(session):
        rotation = quat_yaw_pitch(session.yaw, session.pitch)
        left = session.position + session.rig.camera_height_m * habitat_sim.geo.UP
        return pb.AgentState(agent=_pose(session.position, rotation), left_camera=_pose(left, session.rig.camera_rotation(rotation)),
                             collided=session.collided)


def generic_handler(service):
    """The gRPC service registered by hand, so only the message stubs (simulator_pb2) are generated."""
    streams = {"RunTrajectory"}
    handlers = {}
    for method in pb.DESCRIPTOR.services_by_name["Simulator"].methods:
        request = getattr(pb, method.input_type.name)
        response = getattr(pb, method.output_type.name)
        make = grpc.unary_stream_rpc_method_handler if method.name in streams else grpc.unary_unary_rpc_method_handler
        handlers[method.name] = make(getattr(service, method.name), request_deserializer=request.FromString,
                                     response_serializer=response.SerializeToString)
    return grpc.method_handlers_generic_handler("distdepth.sim.v1.Simulator", handlers)
