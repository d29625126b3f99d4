#!/usr/bin/env bash
# Installs what the toolkit needs on a fresh Debian 12 machine with the .NET SDK, idempotently:
# Debian packages (when root and missing), NuGet restore and a build (the build also applies the
# TorchSharp libstdc++ fix, see build/WeakenGlibcxxNeed.cs). Sourced by demo.sh and test.sh.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# libgtk-3-0: OpenCvSharp's official runtime links it. python3-*: the Python references and the
# habitat server's tests. blender: independent depth reference. libosmesa6 + python3-opengl: llvmpipe bench.
# chromium: renders the curation report in tests and decodes PNGs in tests, as python3-pil does; python3-opencv:
# the simgen bench's anchor (the authors' cv2/np I/O). nodejs/npm (only when no node is on PATH): DuckDB interop.
APT_PACKAGES=(libgtk-3-0 python3-grpcio python3-protobuf python3-numpy python3-torch python3-torchvision
  blender libosmesa6 python3-opengl chromium python3-pil python3-opencv)
# python3-h5py, python3-scipy: the NYUv2 .mat files (HDF5 and MATLAB 5) the RGB-D import tests write.
APT_PACKAGES+=(python3-h5py python3-scipy)
command -v npm >/dev/null || APT_PACKAGES+=(nodejs npm)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: missing Debian packages (run as root or install them): ${missing[*]}" >&2
  fi
fi

# DuckDB (a third-party Parquet reader) for the interop test and the dataset benchmark.
[ -d "$ROOT/tools/duckdb/node_modules/@duckdb" ] || (cd "$ROOT/tools/duckdb" && npm ci --no-audit --no-fund --silent)

dotnet build "$ROOT/DistDepth.sln" -c Release -v quiet -nologo -clp:ErrorsOnly
