"""The simulator protocol on habitat-sim. The process has one habitat Simulator (habitat_host.py) and
serves one session at a time: a LoadScene ends the session before it, whose later calls get NOT_FOUND
saying so. To render in parallel, run several server processes (server.py --processes N) and give
each client its own. Every habitat call runs on one thread: habitat's GL context belongs to the
thread that made it."""
import collections
import hmac
import math
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import grpc
import habitat_sim
import numpy as np

from distdepth.sim.v1 import simulator_pb2 as pb

from frame_ring import FrameRing, RingBroken, slot_bytes_for
from habitat_host import Habitat, NoFloor
from rig import Rig, coeffs, quat_yaw_pitch, wxyz, yaw_pitch
from scenes import SceneNotFound, SceneRefused
from trajectories import Planner, PlanningError, Settings

MAX_PITCH = math.radians(80)
MAX_TRAJECTORY_FRAMES = 1_000_000
ENDED_KEPT = 64  # ended sessions remembered, to say why their id is gone
MODES = {pb.TRAJECTORY_MODE_UNSPECIFIED: "navigate", pb.TRAJECTORY_MODE_NAVIGATE: "navigate",
         pb.TRAJECTORY_MODE_WALK_INTO_WALL: "walk_into_wall", pb.TRAJECTORY_MODE_STARE_AT_WALL: "stare_at_wall",
         pb.TRAJECTORY_MODE_LOOK_INTO_VOID: "look_into_void"}
OUTPUT_NAMES = {pb.OUTPUT_RGB_LEFT: "rgb_left", pb.OUTPUT_RGB_RIGHT: "rgb_right",
                pb.OUTPUT_DEPTH_LEFT: "depth_left", pb.OUTPUT_DEPTH_RIGHT: "depth_right"}
NO_FLOOR = "the scene has no navmesh (none shipped with it and none could be computed): no navigable floor"
REPLACED = ("session '{}' ended: another LoadScene opened a session on this server, which serves one session at a "
            "time (one habitat Simulator per process); run one server process per client (server.py --processes N)")


class Session:
    """A client's scene, rig and agent: where it stands (floor point), its body yaw and head pitch."""

    def __init__(self, scene_info, habitat_id):
        self.id = uuid.uuid4().hex
        self.scene = scene_info
        self.habitat_id = habitat_id
        self.rig = Rig()
        self.position = np.zeros(3)
        self.yaw = self.pitch = 0.0
        self.collided = False
        self.frames_rendered = 0
        self.gate = threading.Lock()


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
        self.habitat = Habitat(catalog.dataset_config)
        self.session = None
        self.ended = collections.OrderedDict()  # session id -> why it ended
        self.lock = threading.Lock()
        self.thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="habitat")

    def _on_habitat(self, fn, *args):
        return self.thread.submit(fn, *args).result()

    def close(self):
        self._on_habitat(self.habitat.close)
        self.thread.shutdown()

    def _end(self, session, reason):
        """Ends `session` if it is the open one; its id then answers NOT_FOUND with `reason`."""
        with self.lock:
            if self.session is session:
                self.session = None
            self.ended[session.id] = reason
            while len(self.ended) > ENDED_KEPT:
                self.ended.popitem(last=False)

    def _session(self, session_id, context):
        with self.lock:
            session = self.session if self.session is not None and self.session.id == session_id else None
            reason = self.ended.get(session_id)
        if session is None:
            context.abort(grpc.StatusCode.NOT_FOUND, reason or f"session '{session_id}' not found: call LoadScene first and "
                          "pass its session_id (sessions end with CloseSession, the next LoadScene or a server restart)")
        return session

    def _prepare(self, session, sensors):
        """On the habitat thread: the session's scene loaded, and its rig's sensors if `sensors`."""
        self.habitat.show(session.habitat_id, session.rig, keep_sensors=not sensors)

    def GetInfo(self, request, context):
        return pb.ServerInfo(name="habitat-sim", version=self.version,
                             scene_kinds=[pb.SCENE_KIND_HABITAT, pb.SCENE_KIND_PLY, pb.SCENE_KIND_GLTF],
                             exposure_jitter=True, trajectory_modes=[m for m in MODES if m != pb.TRAJECTORY_MODE_UNSPECIFIED])

    def ListScenes(self, request, context):
        return pb.ListScenesResponse(scenes=self.catalog.list())

    def LoadScene(self, request, context):
        if not request.scene_id.strip():
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "scene_id is empty: give a ListScenes id")
        try:
            habitat_id, info = self.catalog.resolve(request.scene_id)
        except SceneRefused as e:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, str(e))
        except SceneNotFound as e:
            context.abort(grpc.StatusCode.NOT_FOUND, str(e))
        session = Session(info, habitat_id)

        def load():
            self._prepare(session, sensors=self.habitat.sim is None)
            try:
                session.position = self.habitat.sample(0)
            except NoFloor:
                pass  # navigation calls will say so
            pathfinder = self.habitat.pathfinder
            bounds = pathfinder.get_bounds() if pathfinder.is_loaded else (np.zeros(3), np.zeros(3))
            return bounds, (pathfinder.navigable_area if pathfinder.is_loaded else 0.0)

        try:
            bounds, area = self._on_habitat(load)
        except RuntimeError as e:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, f"scene '{request.scene_id}' cannot be used: {e}")
        with self.lock:
            previous, self.session = self.session, session
        if previous is not None:
            self._end(previous, REPLACED.format(previous.id))
        # habitat-sim does not count triangles for us; bounds are the navmesh's.
        return pb.LoadSceneResponse(session_id=session.id, scene=info, triangle_count=0, bounds_min=_vec3(bounds[0]),
                                    bounds_max=_vec3(bounds[1]), navigable_area_m2=area, rig=session.rig.to_proto())

    def CloseSession(self, request, context):
        session = self._session(request.session_id, context)
        with session.gate:
            self._end(session, f"session '{session.id}' was closed")
        return pb.CloseSessionResponse()

    def ConfigureRig(self, request, context):
        session = self._session(request.session_id, context)
        with session.gate:
            rig = session.rig.merged(request.rig)
            try:
                rig.validate()
            except ValueError as e:
                context.abort(grpc.StatusCode.INVALID_ARGUMENT, str(e))
            session.rig = rig  # the Simulator follows when it next renders
            return rig.to_proto()

    def SampleNavigablePoint(self, request, context):
        session = self._session(request.session_id, context)

        def sample():
            self._prepare(session, sensors=False)
            return self.habitat.sample(request.seed)

        with session.gate:
            try:
                point = self._on_habitat(sample)
            except NoFloor as e:
                context.abort(grpc.StatusCode.FAILED_PRECONDITION, f"{NO_FLOOR} ({e})" if str(e) else NO_FLOOR)
        return pb.SampleNavigablePointResponse(point=_vec3(point))

    def ShortestPath(self, request, context):
        session = self._session(request.session_id, context)
        path = habitat_sim.ShortestPath()
        path.requested_start = _array(request.start)
        path.requested_end = _array(request.end)

        def find():
            self._prepare(session, sensors=False)
            return self.habitat.island is not None and self.habitat.pathfinder.find_path(path)

        with session.gate:
            found = self._on_habitat(find)
        if self.habitat.island is None:
            context.abort(grpc.StatusCode.FAILED_PRECONDITION, NO_FLOOR)
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
                turn = math.radians(10.0) * (1 if request.action == pb.ACTION_LOOK_UP else -1)
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

    def _act(self, session, action):
        self._prepare(session, sensors=False)
        self._place(session, session.position, session.yaw)
        session.collided = self.habitat.act(action)
        state = self.habitat.agent.get_state()
        session.position = np.asarray(state.position, dtype=float).reshape(3)
        session.yaw = yaw_pitch(wxyz(state.rotation))[0]

    def _place(self, session, position, yaw, pitch=0.0, height_offset=0.0):
        """Puts the body at `position` facing `yaw` and the rig's cameras above it with `pitch`;
        returns the left camera pose (position, (w, x, y, z))."""
        rig = session.rig
        rotation = rig.camera_rotation(quat_yaw_pitch(yaw, pitch))
        left = np.asarray(position, dtype=float) + (rig.camera_height_m + height_offset) * habitat_sim.geo.UP
        state = habitat_sim.agent.AgentState()
        state.position = np.asarray(position, dtype=float)
        state.rotation = coeffs(quat_yaw_pitch(yaw, 0.0))
        state.sensor_states = {uuid: pose for uuid, pose in rig.sensor_states(left, rotation).items()
                               if uuid in self.habitat.sensors[3]} if self.habitat.sensors else {}
        self.habitat.agent.set_state(state, infer_sensor_states=False)
        return left, rotation

    def Render(self, request, context):
        session = self._session(request.session_id, context)
        with session.gate:
            return self._render_current(session)

    def RunTrajectory(self, request, context):
        session = self._session(request.session_id, context)
        if not 0 < request.frame_count <= MAX_TRAJECTORY_FRAMES:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, f"frame_count {request.frame_count} must be 1..{MAX_TRAJECTORY_FRAMES}")
        settings = self._trajectory_settings(request, context)

        def probe(position, yaw, pitch):
            self._place(session, position, yaw, pitch)
            return self.habitat.observe()["depth_left"]

        def planner():
            self._prepare(session, sensors=True)
            return Planner(self.habitat, probe).plan(settings) if self.habitat.island is not None else None

        with session.gate:
            frames = self._on_habitat(planner)
        if frames is None:
            context.abort(grpc.StatusCode.FAILED_PRECONDITION, NO_FLOOR)
        rig = session.rig
        ring = FrameRing.open(request.shared_memory, slot_bytes_for(rig.width, rig.height)) if request.HasField("shared_memory") else None
        try:
            for index in range(settings.frame_count):
                with session.gate:
                    self._session(session.id, context)  # ended meanwhile: NOT_FOUND saying why
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
                        try:
                            slot = ring.write(ordered, context.is_active)
                        except (RingBroken, OSError) as e:
                            self._end(session, f"session '{session.id}' ended: {e}")
                            context.abort(grpc.StatusCode.ABORTED, f"{e}: the stream and its session are ended; load the scene again")
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
            self._prepare(session, sensors=True)
            camera = self._place(session, session.position, session.yaw + yaw_jitter, session.pitch + pitch_jitter, height_jitter)
            return camera, self.habitat.observe()

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


def generic_handler(service, token=None):
    """The gRPC service registered by hand, so only the message stubs (simulator_pb2) are generated.
    With a `token`, every call must carry the metadata `authorization: Bearer <token>`."""
    expected = f"Bearer {token}".encode() if token else None

    def authorized(context):
        if expected is None:
            return
        given = dict(context.invocation_metadata()).get("authorization", "")
        if not hmac.compare_digest(given.encode() if isinstance(given, str) else given, expected):
            context.abort(grpc.StatusCode.UNAUTHENTICATED, "this server needs the metadata 'authorization: Bearer <token>' "
                          "with the token of its --token-file")

    def unary(fn):
        def call(request, context):
            authorized(context)
            return fn(request, context)
        return call

    def stream(fn):
        def call(request, context):
            authorized(context)
            yield from fn(request, context)
        return call

    handlers = {}
    for method in pb.DESCRIPTOR.services_by_name["Simulator"].methods:
        request = getattr(pb, method.input_type.name)
        response = getattr(pb, method.output_type.name)
        fn = getattr(service, method.name)
        if method.server_streaming:
            handler = grpc.unary_stream_rpc_method_handler(stream(fn), request_deserializer=request.FromString,
                                                           response_serializer=response.SerializeToString)
        else:
            handler = grpc.unary_unary_rpc_method_handler(unary(fn), request_deserializer=request.FromString,
                                                          response_serializer=response.SerializeToString)
        handlers[method.name] = handler
    return grpc.method_handlers_generic_handler("distdepth.sim.v1.Simulator", handlers)
