#!/bin/sh
# Generates the protocol's Python message stubs (simulator_pb2.py) into $1 (default: generated/
# next to this script). Services are registered by hand (service.py), so no gRPC plugin is needed.
#
# With a current grpcio-tools (pip/conda) this is plain `python -m grpc_tools.protoc`. Where that
# protoc is too old for proto3 `optional` (Debian 12's python3-grpc-tools 1.14), it falls back to
# the protoc of the Grpc.Tools NuGet package (the .NET build restores it) or $PROTOC; their output
# checks for a protobuf runtime as new as themselves, a check removed here because the code it
# guards only needs protobuf >= 3.20 (Debian 12 has 3.21).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:-$here/generated}
python=${PYTHON:-python3}
proto=distdepth/sim/v1/simulator.proto
mkdir -p "$out/distdepth/sim/v1"

if "$python" -m grpc_tools.protoc -I"$root/protos" --python_out="$out" "$root/protos/$proto" 2>/dev/null; then
    :
else
    protoc=${PROTOC:-$(ls -d "${NUGET_PACKAGES:-$HOME/.nuget/packages}"/grpc.tools/*/tools/linux_x64/protoc 2>/dev/null | sort -V | tail -n 1)}
    [ -x "$protoc" ] || { echo "no protoc supporting proto3 optional: pip install grpcio-tools, or set PROTOC" >&2; exit 1; }
    "$protoc" -I"$root/protos" --python_out="$out" "$root/protos/$proto"
    "$python" - "$out/$proto" <<'PY'
import re, sys
path = sys.argv[1].replace(".proto", "_pb2.py")
text = open(path).read()
text = re.sub(r"from google\.protobuf import runtime_version as _runtime_version\n", "", text)
text = re.sub(r"_runtime_version\.ValidateProtobufRuntimeVersion\([^)]*\)\n", "", text)
open(path, "w").write(text)
PY
fi
touch "$out/distdepth/__init__.py" "$out/distdepth/sim/__init__.py" "$out/distdepth/sim/v1/__init__.py"
"$python" -c "import sys; sys.path.insert(0, '$out'); from distdepth.sim.v1 import simulator_pb2" \
    || { echo "generated stubs do not load with this Python's protobuf" >&2; exit 1; }
