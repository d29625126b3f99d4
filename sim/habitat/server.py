"""`python sim/habitat/server.py --port 50052 [--scenes DIR] [--scene-dataset-config FILE]`:
the DistDepth simulator protocol (protos/distdepth/sim/v1/simulator.proto) on habitat-sim."""
import argparse
import os
import sys
from concurrent import futures

HERE = os.path.dirname(os.path.abspath(__file__))
# Stubs made by generate_stubs.sh land in generated/; PYTHONPATH may point elsewhere.
sys.path[:0] = [HERE, os.path.join(HERE, "generated")]

import grpc  # noqa: E402
import habitat_sim  # noqa: E402

from scenes import SceneCatalog  # noqa: E402
from service import SimulatorService, generic_handler  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on; loopback by default since clients name files the server reads")
    parser.add_argument("--port", type=int, default=50052, help="0 picks a free port (printed on start)")
    parser.add_argument("--scenes", help="folder of .glb/.gltf/.ply scenes; ids are paths relative to it")
    parser.add_argument("--scene-dataset-config", help="a habitat *.scene_dataset_config.json; its scenes are listed and loadable by name")
    parser.add_argument("--workers", type=int, default=8, help="gRPC threads (habitat itself runs on one)")
    args = parser.parse_args()

    catalog = SceneCatalog(args.scenes, args.scene_dataset_config)
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=args.workers),
                         options=[("grpc.max_send_message_length", -1), ("grpc.max_receive_message_length", -1)])
    server.add_generic_rpc_handlers((generic_handler(SimulatorService(catalog, habitat_sim.__version__)),))
    host = f"[{args.host}]" if ":" in args.host else args.host
    port = server.add_insecure_port(f"{host}:{args.port}")
    if port == 0:
        sys.exit(f"cannot listen on {args.host}:{args.port}")
    server.start()
    print(f"habitat-sim server listening on {args.host}:{port}", flush=True)
    server.wait_for_termination()


if __name__ == "__main__":
    main()
