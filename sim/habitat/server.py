"""`python sim/habitat/server.py --port 50052 [--scenes DIR] [--scene-dataset-config FILE] [--processes N]`:
the DistDepth simulator protocol (protos/distdepth/sim/v1/simulator.proto) on habitat-sim."""
import argparse
import ipaddress
import os
import signal
import subprocess
import sys
from concurrent import futures

HERE = os.path.dirname(os.path.abspath(__file__))
# Stubs made by generate_stubs.sh land in generated/; PYTHONPATH may point elsewhere.
sys.path[:0] = [HERE, os.path.join(HERE, "generated")]

import grpc  # noqa: E402
import habitat_sim  # noqa: E402

from scenes import SceneCatalog  # noqa: E402
from service import SimulatorService, generic_handler  # noqa: E402

# A Simulator with an empty scene and one tiny camera: enough to make habitat's EGL context.
EGL_PROBE = """
import habitat_sim
cfg = habitat_sim.SimulatorConfiguration()
cfg.scene_id = "NONE"
spec = habitat_sim.CameraSensorSpec()
spec.uuid = "probe"
spec.resolution = [8, 8]
agent = habitat_sim.agent.AgentConfiguration()
agent.sensor_specifications = [spec]
habitat_sim.Simulator(habitat_sim.Configuration(cfg, [agent])).close()
"""


def parse():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on; beyond loopback it needs --token-file, --tls-cert and --tls-key")
    parser.add_argument("--port", type=int, default=50052, help="0 picks a free port (printed on start)")
    parser.add_argument("--processes", type=int, default=1,
                        help="start this many server processes, on --port, --port+1, ...: one habitat Simulator and one client each")
    parser.add_argument("--scenes", help="folder of .glb/.gltf/.ply scenes; ids are paths relative to it")
    parser.add_argument("--scene-dataset-config", help="a habitat *.scene_dataset_config.json; its scenes are listed and loadable by name")
    parser.add_argument("--token-file", help="file holding a token every call must carry as 'authorization: Bearer <token>'")
    parser.add_argument("--tls-cert", help="PEM certificate chain to serve TLS with (with --tls-key)")
    parser.add_argument("--tls-key", help="PEM private key of --tls-cert")
    parser.add_argument("--workers", type=int, default=8, help="gRPC threads (habitat itself runs on one)")
    return parser.parse_args()


def is_loopback(host):
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a name: it may resolve anywhere


def read(path, what):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as e:
        sys.exit(f"habitat server: cannot read {what} {path}: {e.strerror}")


def security(args):
    """(token or None, server credentials or None), or exits with one line saying what is missing."""
    if bool(args.tls_cert) != bool(args.tls_key):
        sys.exit("habitat server: --tls-cert and --tls-key go together: give both or neither")
    if not is_loopback(args.host) and not (args.token_file and args.tls_cert):
        sys.exit(f"habitat server: refusing to listen on {args.host} without --token-file and --tls-cert/--tls-key: clients "
                 "beyond this machine name files the server opens and the frames travel the network")
    token = None
    if args.token_file:
        token = read(args.token_file, "--token-file").decode("utf-8", "replace").strip()
        if not token or any(c.isspace() for c in token):
            sys.exit(f"habitat server: --token-file {args.token_file} must hold one token without spaces")
    credentials = None
    if args.tls_cert:
        credentials = grpc.ssl_server_credentials([(read(args.tls_key, "--tls-key"), read(args.tls_cert, "--tls-cert"))])
    return token, credentials


def nvidia_driver():
    try:
        with open("/proc/driver/nvidia/version") as f:
            return "NVIDIA driver: " + f.readline().strip()
    except OSError:
        return "no NVIDIA driver is loaded (/proc/driver/nvidia/version is missing)"


def probe_egl():
    """habitat ends the whole process (Mn::Fatal, gfx/WindowlessContext.cpp ~58-66) when it cannot
    make its EGL context, at the first scene; try it in a child first and exit with one line instead."""
    try:
        probe = subprocess.run([sys.executable, "-c", EGL_PROBE], capture_output=True, text=True, timeout=300)
    except subprocess.TimeoutExpired:
        sys.exit(f"habitat server: habitat-sim took over 300 s to make an EGL context; {nvidia_driver()}")
    if probe.returncode != 0:
        lines = [line.strip() for line in probe.stderr.splitlines() if line.strip()]
        sys.exit(f"habitat server: habitat-sim cannot make an EGL (OpenGL) context: {lines[-1] if lines else f'exit code {probe.returncode}'}; "
                 f"{nvidia_driver()}; check nvidia-smi, /usr/share/glvnd/egl_vendor.d/10_nvidia.json and the headless habitat-sim build")


def run_group(args):
    """N server processes on consecutive ports; when one ends, the rest are stopped."""
    if args.port == 0:
        sys.exit("habitat server: --processes needs a fixed --port: the processes listen on --port, --port+1, ...")
    options = [(flag, getattr(args, name)) for flag, name in (
        ("--host", "host"), ("--scenes", "scenes"), ("--scene-dataset-config", "scene_dataset_config"),
        ("--token-file", "token_file"), ("--tls-cert", "tls_cert"), ("--tls-key", "tls_key"), ("--workers", "workers"))]
    common = [str(part) for flag, value in options if value is not None for part in (flag, value)]
    children = [subprocess.Popen([sys.executable, os.path.abspath(__file__), *common, "--port", str(args.port + i)])
                for i in range(args.processes)]

    def stop(*_):
        for child in children:
            if child.poll() is None:
                child.terminate()
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    _, status = os.wait()
    stop()
    for child in children:
        child.wait()
    return os.waitstatus_to_exitcode(status)


def main():
    args = parse()
    if args.processes < 1:
        sys.exit("habitat server: --processes must be at least 1")
    if args.processes > 1:
        sys.exit(run_group(args))
    token, credentials = security(args)
    probe_egl()
    catalog = SceneCatalog(args.scenes, args.scene_dataset_config)
    service = SimulatorService(catalog, habitat_sim.__version__)
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=args.workers),
                         options=[("grpc.max_send_message_length", -1), ("grpc.max_receive_message_length", -1)])
    server.add_generic_rpc_handlers((generic_handler(service, token),))
    host = f"[{args.host}]" if ":" in args.host else args.host
    address = f"{host}:{args.port}"
    try:
        port = server.add_secure_port(address, credentials) if credentials else server.add_insecure_port(address)
    except RuntimeError:
        port = 0
    if port == 0:
        sys.exit(f"habitat server: cannot listen on {args.host}:{args.port}")
    signal.signal(signal.SIGTERM, lambda *_: server.stop(None))
    server.start()
    print(f"habitat-sim server listening on {args.host}:{port}{' (TLS)' if credentials else ''}", flush=True)
    server.wait_for_termination()
    service.close()


if __name__ == "__main__":
    main()
