"""sim/habitat/server.py against the strict fake habitat_sim, one test per habitat-sim behaviour of
issue 13 (test_01 .. test_13) and the server's security rules (issue 12). Each test starts its own
server process, as a deployment would, and talks gRPC to it.

Run: /usr/bin/python3 -m unittest habitat_server_tests   (from tests/SimProtocol.Tests)
$HABITAT_SERVER names another server.py to test (e.g. an older one)."""
import atexit
import json
import fcntl
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

import grpc
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SERVER = os.environ.get("HABITAT_SERVER", os.path.join(ROOT, "sim", "habitat", "server.py"))
FAKE = os.path.join(HERE, "fake_habitat_sim")
STUBS = tempfile.mkdtemp(prefix="distdepth-habitat-stubs-")
atexit.register(shutil.rmtree, STUBS, True)
subprocess.run(["sh", os.path.join(ROOT, "sim", "habitat", "generate_stubs.sh"), STUBS], check=True,
               env={**os.environ, "PYTHON": sys.executable}, stdout=subprocess.DEVNULL)
sys.path[:0] = [STUBS]
from distdepth.sim.v1 import simulator_pb2 as pb  # noqa: E402

ROOM = b""  # the fake's box room
EMPTY = b"empty"  # the fake's scene without geometry
SERVICE = "/distdepth.sim.v1.Simulator/"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """server.py in a child process on the fake, with a scenes folder of its own."""

    def __init__(self, files=None, args=(), env=None, host="127.0.0.1", wait=True):
        self.work = tempfile.mkdtemp(prefix="distdepth-habitat-test-")
        self.scenes = os.path.join(self.work, "scenes")
        for name, content in (files if files is not None else {"room.glb": ROOM}).items():
            path = os.path.join(self.scenes, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(content)
        self.port = free_port()
        environment = {**os.environ, "PYTHONPATH": f"{FAKE}:{STUBS}", "PYTHONDONTWRITEBYTECODE": "1",
                       "FAKE_HABITAT_SIM_EVENTS": os.path.join(self.work, "events-{pid}.log"), **(env or {})}
        self.process = subprocess.Popen([sys.executable, SERVER, "--host", host, "--port", str(self.port),
                                         "--scenes", self.scenes, *args], env=environment,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.channel = None
        if wait:
            self.wait_listening()

    def wait_listening(self, credentials=None, target=None):
        deadline = time.time() + 60
        while True:
            if self.process.poll() is not None:
                raise AssertionError(f"server exited: {self.process.stderr.read()}")
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    break
            if time.time() > deadline:
                raise AssertionError("server did not start")
            time.sleep(0.05)
        address = target or f"127.0.0.1:{self.port}"
        self.channel = grpc.secure_channel(address, credentials) if credentials else grpc.insecure_channel(address)

    def call(self, method, request, metadata=None):
        response = {"GetInfo": pb.ServerInfo, "ListScenes": pb.ListScenesResponse, "LoadScene": pb.LoadSceneResponse,
                    "CloseSession": pb.CloseSessionResponse, "ConfigureRig": pb.StereoRig,
                    "SampleNavigablePoint": pb.SampleNavigablePointResponse, "ShortestPath": pb.ShortestPathResponse,
                    "SetPose": pb.AgentState, "Step": pb.StepResponse, "Render": pb.Frame}[method]
        return self.channel.unary_unary(SERVICE + method, request_serializer=type(request).SerializeToString,
                                        response_deserializer=response.FromString)(request, metadata=metadata, timeout=120)

    def trajectory(self, request):
        return self.channel.unary_stream(SERVICE + "RunTrajectory", request_serializer=pb.RunTrajectoryRequest.SerializeToString,
                                         response_deserializer=pb.Frame.FromString)(request, timeout=300)

    def load(self, scene="room.glb", **rig):
        session = self.call("LoadScene", pb.LoadSceneRequest(scene_id=scene)).session_id
        if rig:
            self.call("ConfigureRig", pb.ConfigureRigRequest(session_id=session, rig=pb.StereoRig(**rig)))
        return session

    def events(self):
        """The fake's events of the server process itself (the EGL probe's child loads no scene)."""
        logs = []
        for name in sorted(os.listdir(self.work)):
            if name.startswith("events-"):
                with open(os.path.join(self.work, name)) as f:
                    lines = f.read().splitlines()
                if any(line.startswith("scene ") for line in lines):
                    logs.append(lines)
        return logs[0] if len(logs) == 1 else [line for log in logs for line in log]

    def count(self, prefix):
        return sum(1 for line in self.events() if line == prefix or line.startswith(prefix + " "))

    def close(self):
        if self.channel:
            self.channel.close()
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.process.stdout.close()
        self.process.stderr.close()
        shutil.rmtree(self.work, ignore_errors=True)


def depth(frame, width, height):
    return np.frombuffer(frame.depth_left, dtype="<f4").reshape(height, width)


class HabitatTest(unittest.TestCase):
    def start(self, **kwargs):
        server = Server(**kwargs)
        self.addCleanup(server.close)
        return server

    def assertStatus(self, code, fn, *args):
        with self.assertRaises(grpc.RpcError) as raised:
            result = fn(*args)
            if hasattr(result, "__iter__") and not hasattr(result, "SerializeToString"):
                list(result)
        self.assertEqual(code, raised.exception.code(), raised.exception.details())
        return raised.exception.details()


class HabitatSimBehaviour(HabitatTest):
    def test_01_one_simulator_per_process_and_a_second_session_ends_the_first(self):
        server = self.start(files={"room.glb": ROOM, "hall.ply": ROOM, "wing/loft.gltf": ROOM})
        first = server.load("room.glb", width=32, height=32)
        server.call("Render", pb.RenderRequest(session_id=first))
        for scene in ("hall.ply", "wing/loft.gltf", "room.glb"):
            session = server.load(scene, width=32, height=32)
            self.assertEqual(32 * 32 * 3, len(server.call("Render", pb.RenderRequest(session_id=session)).rgb_left))
        # One at the first scene (default rig) and one for the 32x32 rig; none per scene or session.
        self.assertEqual(2, server.count("simulator"))
        details = self.assertStatus(grpc.StatusCode.NOT_FOUND, server.call, "Render", pb.RenderRequest(session_id=first))
        self.assertIn("one session at a time", details)

    def test_02_a_change_of_size_or_hfov_alone_is_rendered(self):
        server = self.start()
        session = server.load(width=32, height=32)
        server.call("SetPose", pb.SetPoseRequest(session_id=session, agent=pb.Pose(position=pb.Vec3(), rotation=pb.Quat(w=1))))
        wide = depth(server.call("Render", pb.RenderRequest(session_id=session)), 32, 32)
        server.call("ConfigureRig", pb.ConfigureRigRequest(session_id=session, rig=pb.StereoRig(width=48, height=40)))
        frame = server.call("Render", pb.RenderRequest(session_id=session))
        self.assertEqual((48 * 40 * 3, 48 * 40 * 4), (len(frame.rgb_left), len(frame.depth_left)))
        server.call("ConfigureRig", pb.ConfigureRigRequest(session_id=session, rig=pb.StereoRig(width=32, height=32, hfov_deg=50)))
        narrow = depth(server.call("Render", pb.RenderRequest(session_id=session)), 32, 32)
        # A 50 degree view is the middle of the 90 degree one, magnified: its corner sees what lies
        # about (1 - tan 25 / tan 45) / 2 = 27 % in from the wide view's corner.
        self.assertAlmostEqual(float(wide[16, 16]), float(narrow[16, 16]), delta=0.05)
        self.assertAlmostEqual(float(wide[8, 8]), float(narrow[0, 0]), delta=0.3)
        self.assertGreater(float(np.abs(wide - narrow).max()), 0.05)

    def test_03_camera_heights_change_no_sensors(self):
        server = self.start()
        session = server.load(width=32, height=32)
        server.call("Render", pb.RenderRequest(session_id=session))
        sensors, simulators = server.count("sensor"), server.count("simulator")
        for height in (1.1, 1.3, 1.5, 1.7):
            server.call("ConfigureRig", pb.ConfigureRigRequest(session_id=session, rig=pb.StereoRig(camera_height_m=height, baseline_m=height / 10)))
            frames = list(server.trajectory(pb.RunTrajectoryRequest(session_id=session, seed=1, frame_count=2)))
            self.assertAlmostEqual(height, frames[0].left_camera.position.y, delta=0.2)
        self.assertEqual((sensors, simulators), (server.count("sensor"), server.count("simulator")))

    def test_04_a_depth_only_rig_keeps_the_navmesh(self):
        server = self.start()  # room.glb has no .navmesh: the server computes one
        session = server.load(width=32, height=32, outputs=[pb.OUTPUT_DEPTH_LEFT])
        server.call("SampleNavigablePoint", pb.SampleNavigablePointRequest(session_id=session, seed=3))
        frames = list(server.trajectory(pb.RunTrajectoryRequest(session_id=session, seed=2, frame_count=3)))
        self.assertEqual((b"", 32 * 32 * 4), (frames[0].rgb_left, len(frames[0].depth_left)))
        server.call("ConfigureRig", pb.ConfigureRigRequest(session_id=session, rig=pb.StereoRig(outputs=[pb.OUTPUT_RGB_LEFT])))
        self.assertEqual(32 * 32 * 3, len(server.call("Render", pb.RenderRequest(session_id=session)).rgb_left))
        server.call("SampleNavigablePoint", pb.SampleNavigablePointRequest(session_id=session, seed=3))

    def test_05_wall_trajectories_find_the_wall(self):
        server = self.start()
        session = server.load(width=32, height=32)
        for seed in range(3):
            stare = list(server.trajectory(pb.RunTrajectoryRequest(session_id=session, seed=seed, frame_count=2,
                                                                    mode=pb.TRAJECTORY_MODE_STARE_AT_WALL)))
            seen = depth(stare[0], 32, 32)
            self.assertLess(float(np.median(seen[seen > 0])), 0.35)
            walk = list(server.trajectory(pb.RunTrajectoryRequest(session_id=session, seed=seed, frame_count=80,
                                                                   mode=pb.TRAJECTORY_MODE_WALK_INTO_WALL)))
            self.assertTrue(any(f.collided for f in walk), f"seed {seed}: walked 8 m without reaching a wall")

    def test_06_stepping_up_a_stair_is_no_collision(self):
        server = self.start()
        session = server.load(width=16, height=16, outputs=[pb.OUTPUT_DEPTH_LEFT])
        stepped_up = 0
        for seed in range(60):
            walk = list(server.trajectory(pb.RunTrajectoryRequest(session_id=session, seed=seed, frame_count=25, step_m=0.1,
                                                                   yaw_jitter_deg=0, pitch_jitter_deg=0, height_jitter_m=0,
                                                                   mode=pb.TRAJECTORY_MODE_WALK_INTO_WALL)))
            for before, after in zip(walk, walk[1:]):
                a, b = before.left_camera.position, after.left_camera.position
                moved = np.hypot(b.x - a.x, b.z - a.z)
                if b.y - a.y > 0.05:
                    stepped_up += 1
                # habitat's collision: the move came up short; onto the stage it moved its whole step.
                self.assertEqual(moved < 0.1 - 1e-3, after.collided, f"seed {seed}, frame {after.index}: moved {moved:.3f} m")
            if stepped_up:
                break
        self.assertTrue(stepped_up, "no walk crossed the stage")

    def test_07_a_sequence_seed_gives_its_trajectory_whatever_runs_beside_it(self):
        server = self.start()
        session = server.load(width=16, height=16, outputs=[pb.OUTPUT_DEPTH_LEFT])

        def positions(seed):
            frames = server.trajectory(pb.RunTrajectoryRequest(session_id=session, seed=seed, frame_count=60, step_m=0.5))
            return [(round(f.left_camera.position.x, 4), round(f.left_camera.position.z, 4)) for f in frames]

        alone = positions(5)
        beside = {}
        threads = [threading.Thread(target=lambda s=s: beside.__setitem__(s, positions(s))) for s in (5, 6, 7)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(alone, beside[5])

    def test_08_navigation_keeps_to_the_largest_island(self):
        server = self.start()
        session = server.load(width=16, height=16, outputs=[pb.OUTPUT_DEPTH_LEFT])
        heights = [server.call("SampleNavigablePoint", pb.SampleNavigablePointRequest(session_id=session, seed=s)).point.y
                   for s in range(300)]
        self.assertLess(max(heights), 0.5, "a point on the table top (0.75 m), an island of its own")
        for seed in range(5):
            frame = next(iter(server.trajectory(pb.RunTrajectoryRequest(session_id=session, seed=seed, frame_count=1))))
            self.assertLess(frame.left_camera.position.y - 1.5, 0.5)

    def test_09_no_floor_is_failed_precondition(self):
        server = self.start(files={"void.glb": EMPTY, "flat.ply": ROOM, "flat.navmesh": b"empty"})
        for scene in ("void.glb", "flat.ply"):
            session = server.load(scene, width=16, height=16)
            self.assertStatus(grpc.StatusCode.FAILED_PRECONDITION, server.call, "SampleNavigablePoint",
                              pb.SampleNavigablePointRequest(session_id=session, seed=1))
            self.assertStatus(grpc.StatusCode.FAILED_PRECONDITION, server.trajectory,
                              pb.RunTrajectoryRequest(session_id=session, seed=1, frame_count=2))

    def test_10_a_stage_only_dataset_lists_its_stages(self):
        work = tempfile.mkdtemp(prefix="distdepth-habitat-dataset-")
        self.addCleanup(shutil.rmtree, work, True)
        for scene in ("00800-TEEsavR23oF/TEEsavR23oF", "00801-HaxA7YrQdEC/HaxA7YrQdEC"):
            os.makedirs(os.path.join(work, os.path.dirname(scene)), exist_ok=True)
            open(os.path.join(work, scene + ".basis.glb"), "wb").close()
        config = os.path.join(work, "hm3d_basis.scene_dataset_config.json")
        with open(config, "w") as f:  # as HM3D ships it: stages, no scene instances
            json.dump({"stages": {"paths": {".glb": ["*/*.basis.glb"]}}}, f)
        server = self.start(args=("--scene-dataset-config", config))
        ids = [s.id for s in server.call("ListScenes", pb.ListScenesRequest()).scenes if s.kind == pb.SCENE_KIND_HABITAT]
        self.assertEqual(["HaxA7YrQdEC", "TEEsavR23oF"], ids)
        server.load("TEEsavR23oF")
        server.load("00801-HaxA7YrQdEC/HaxA7YrQdEC.basis.glb")  # as a glob run in the config's folder names it

    def test_11_semantic_meshes_are_no_scenes_and_the_up_axis_is_said(self):
        server = self.start(files={"mp3d/x/x.glb": ROOM, "mp3d/x/x_semantic.ply": ROOM, "hm3d/y.semantic.glb": ROOM,
                                   "replica/apartment_0/habitat/mesh_semantic.ply": ROOM, "replica/apartment_0/mesh.ply": ROOM})
        scenes = {s.id: s.description for s in server.call("ListScenes", pb.ListScenesRequest()).scenes}
        self.assertEqual({"mp3d/x/x.glb", "replica/apartment_0/mesh.ply"}, set(scenes))
        self.assertIn("z-up", scenes["mp3d/x/x.glb"])
        self.assertIn("y-up", scenes["replica/apartment_0/mesh.ply"])

    def test_12_without_egl_the_server_exits_with_one_line_before_listening(self):
        server = Server(env={"FAKE_HABITAT_SIM_EGL": "fail"}, wait=False)
        self.addCleanup(server.close)
        try:
            code = server.process.wait(120)
        except subprocess.TimeoutExpired:
            self.fail("the server runs without an EGL context")
        errors = server.process.stderr.read().strip().splitlines()
        self.assertNotEqual(0, code)
        self.assertEqual(1, len(errors), errors)
        self.assertIn("EGL", errors[0])
        self.assertIn("driver", errors[0])
        self.assertNotIn("listening", server.process.stdout.read())

    def test_13_no_semantic_mesh_and_steps_render_nothing(self):
        server = self.start(files={"room.glb": ROOM, "room_semantic.ply": ROOM})
        session = server.load(width=16, height=16)
        renders = server.count("render")
        for _ in range(3):
            server.call("Step", pb.StepRequest(session_id=session, action=pb.ACTION_MOVE_FORWARD))
        self.assertEqual(renders, server.count("render"))
        self.assertEqual(0, server.count("semantic_mesh"))


class HabitatServerSecurity(HabitatTest):
    def test_listening_beyond_loopback_needs_a_token_and_tls(self):
        work = tempfile.mkdtemp(prefix="distdepth-habitat-tls-")
        self.addCleanup(shutil.rmtree, work, True)
        cert, key, token = (os.path.join(work, n) for n in ("cert.pem", "key.pem", "token"))
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1",
                        "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
                       check=True, capture_output=True)
        with open(token, "w") as f:
            f.write("s3cret-token\n")
        for args in ((), ("--token-file", token), ("--tls-cert", cert, "--tls-key", key)):
            server = Server(host="0.0.0.0", args=args, wait=False)
            self.addCleanup(server.close)
            self.assertNotEqual(0, server.process.wait(60))
            errors = server.process.stderr.read().strip().splitlines()
            self.assertEqual(1, len(errors), errors)
            self.assertIn("--token-file", errors[0])

        server = self.start(host="0.0.0.0", args=("--token-file", token, "--tls-cert", cert, "--tls-key", key), wait=False)
        with open(cert, "rb") as f:
            server.wait_listening(grpc.ssl_channel_credentials(f.read()), target=f"localhost:{server.port}")
        self.assertEqual("habitat-sim", server.call("GetInfo", pb.GetInfoRequest(), [("authorization", "Bearer s3cret-token")]).name)
        for metadata in (None, [("authorization", "Bearer wrong")], [("authorization", "s3cret-token")]):
            self.assertStatus(grpc.StatusCode.UNAUTHENTICATED, server.call, "GetInfo", pb.GetInfoRequest(), metadata)

    def test_scene_ids_stay_inside_the_scenes_folder(self):
        server = self.start()
        outside = os.path.join(server.work, "secret.glb")
        with open(outside, "w") as f:
            f.write("TOP SECRET CONTENT")
        os.symlink(outside, os.path.join(server.scenes, "link.glb"))
        os.symlink(server.work, os.path.join(server.scenes, "up"))
        for refused in (outside, "../secret.glb", "sub/../../secret.glb"):
            details = self.assertStatus(grpc.StatusCode.INVALID_ARGUMENT, server.call, "LoadScene", pb.LoadSceneRequest(scene_id=refused))
            self.assertNotIn("SECRET CONTENT", details)
        # Through a symlink: the same answer as for a file that does not exist.
        missing = self.assertStatus(grpc.StatusCode.NOT_FOUND, server.call, "LoadScene", pb.LoadSceneRequest(scene_id="nothere.glb"))
        for escaping in ("link.glb", "up/secret.glb"):
            details = self.assertStatus(grpc.StatusCode.NOT_FOUND, server.call, "LoadScene", pb.LoadSceneRequest(scene_id=escaping))
            self.assertEqual(missing.replace("nothere.glb", escaping), details)
        self.assertEqual(["room.glb"], [s.id for s in server.call("ListScenes", pb.ListScenesRequest()).scenes])

    def test_a_ring_the_client_could_cut_is_declined_and_a_sealed_one_cannot_be_cut(self):
        server = self.start()
        session = server.load(width=16, height=16)
        slot_bytes = 16 * 16 * 14

        def ring(slots, size, sealed=True, token=7):
            # As the C# client makes it (SealedMemory.cs): a memfd, sized, headed, sealed, offered by /proc path.
            fd = os.memfd_create("distdepth-frames-test.ring", os.MFD_CLOEXEC | os.MFD_ALLOW_SEALING)
            self.addCleanup(os.close, fd)
            os.ftruncate(fd, 4096 + slots * size)
            os.pwrite(fd, np.array([int.from_bytes(b"DDDRING1", "little"), token], dtype="<u8").tobytes()
                      + np.array([slots, 0], dtype="<i4").tobytes() + np.array([size], dtype="<i8").tobytes(), 0)
            if sealed:
                fcntl.fcntl(fd, fcntl.F_ADD_SEALS, fcntl.F_SEAL_SHRINK | fcntl.F_SEAL_GROW | fcntl.F_SEAL_SEAL)
            return fd, pb.SharedMemoryRing(path=f"/proc/{os.getpid()}/fd/{fd}", slot_count=slots, slot_bytes=size, token=token)

        def run(offer, count):
            return list(server.trajectory(pb.RunTrajectoryRequest(session_id=session, seed=1, frame_count=count, shared_memory=offer)))

        # A slot bigger than a whole frame of the rig, or a ring its client could still shrink: frames come inline.
        for offer in (ring(4, slot_bytes * 1000)[1], ring(2, slot_bytes, sealed=False)[1]):
            self.assertTrue(all(not f.HasField("shared_memory") and f.rgb_left for f in run(offer, 2)))

        fd, offer = ring(2, slot_bytes)
        stream = server.trajectory(pb.RunTrajectoryRequest(session_id=session, seed=1, frame_count=6, shared_memory=offer))
        first = next(stream)
        self.assertTrue(first.HasField("shared_memory"))
        with self.assertRaises(PermissionError):
            os.ftruncate(fd, 100)  # the client tries to cut the ring under the server: the seal refuses
        # Release each slot as the C# client does (its release counter in the header), so the stream completes.
        released = [0, 0]
        frame = first
        while frame is not None:
            slot = frame.shared_memory.slot
            released[slot] += 1
            os.pwrite(fd, np.array([released[slot]], dtype="<u8").tobytes(), 64 + 8 * slot)
            frame = next(stream, None)
        self.assertEqual(6, sum(released))
        self.assertIsNone(server.process.poll(), "the server died")

if __name__ == "__main__":
    unittest.main()
