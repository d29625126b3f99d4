"""Mesa llvmpipe reference for the simulator benchmark: draws the same triangles (indexed, vertex
colours, depth test) at the same resolution, two views per render, and reads back RGB and metric
z-depth, as the simulator returns them.
Usage: PYOPENGL_PLATFORM=osmesa /usr/bin/python3 llvmpipe_bench.py SCENE.bin RENDERS
SCENE.bin (little-endian): int32 width, height, vertex_count, index_count, pose_count; float32 fx,
baseline; float32 positions[3*V]; float32 colours[3*V]; int32 indices[I]; float32 poses[16*P]
(left camera-to-world, row-major). Prints one JSON line."""
import json
import os
import sys
import time

os.environ.setdefault("PYOPENGL_PLATFORM", "osmesa")
import numpy as np
from OpenGL import GL, arrays
from OpenGL import osmesa

data = open(sys.argv[1], "rb").read()
renders = int(sys.argv[2])
width, height, nv, ni, npose = np.frombuffer(data, "<i4", 5)
fx, baseline = np.frombuffer(data, "<f4", 2, 20)
offset = 28
positions = np.frombuffer(data, "<f4", 3 * nv, offset); offset += 12 * nv
colours = np.frombuffer(data, "<f4", 3 * nv, offset); offset += 12 * nv
indices = np.frombuffer(data, "<u4", ni, offset); offset += 4 * ni
poses = np.frombuffer(data, "<f4", 16 * npose, offset).reshape(npose, 4, 4)

context = osmesa.OSMesaCreateContextExt(osmesa.OSMESA_RGBA, 24, 0, 0, None)
framebuffer = arrays.GLubyteArray.zeros((height, width, 4))
assert osmesa.OSMesaMakeCurrent(context, framebuffer, GL.GL_UNSIGNED_BYTE, width, height)
renderer = GL.glGetString(GL.GL_RENDERER).decode()

near, far = 0.01, 1000.0
projection = np.array([
    [2 * fx / width, 0, 0, 0],
    [0, 2 * fx / height, 0, 0],
    [0, 0, -(far + near) / (far - near), -2 * far * near / (far - near)],
    [0, 0, -1, 0]], dtype=np.float32)
GL.glMatrixMode(GL.GL_PROJECTION)
GL.glLoadMatrixf(projection.T)
GL.glEnable(GL.GL_DEPTH_TEST)
GL.glViewport(0, 0, width, height)
buffers = GL.glGenBuffers(3)
for buffer, array, target in ((buffers[0], positions, GL.GL_ARRAY_BUFFER), (buffers[1], colours, GL.GL_ARRAY_BUFFER),
                              (buffers[2], indices, GL.GL_ELEMENT_ARRAY_BUFFER)):
    GL.glBindBuffer(target, buffer)
    GL.glBufferData(target, array.nbytes, array, GL.GL_STATIC_DRAW)
GL.glEnableClientState(GL.GL_VERTEX_ARRAY)
GL.glBindBuffer(GL.GL_ARRAY_BUFFER, buffers[0])
GL.glVertexPointer(3, GL.GL_FLOAT, 0, None)
GL.glEnableClientState(GL.GL_COLOR_ARRAY)
GL.glBindBuffer(GL.GL_ARRAY_BUFFER, buffers[1])
GL.glColorPointer(3, GL.GL_FLOAT, 0, None)
GL.glBindBuffer(GL.GL_ELEMENT_ARRAY_BUFFER, buffers[2])
right_of_left = np.eye(4, dtype=np.float32)
right_of_left[0, 3] = baseline


def view(camera_to_world):
    GL.glClear(GL.GL_COLOR_BUFFER_BIT | GL.GL_DEPTH_BUFFER_BIT)
    GL.glMatrixMode(GL.GL_MODELVIEW)
    GL.glLoadMatrixf(np.linalg.inv(camera_to_world).astype(np.float32).T)
    GL.glDrawElements(GL.GL_TRIANGLES, int(ni), GL.GL_UNSIGNED_INT, None)
    rgb = GL.glReadPixels(0, 0, width, height, GL.GL_RGB, GL.GL_UNSIGNED_BYTE)
    window = np.frombuffer(GL.glReadPixels(0, 0, width, height, GL.GL_DEPTH_COMPONENT, GL.GL_FLOAT), np.float32)
    ndc = window * 2 - 1
    depth = np.where(window < 1, 2 * far * near / (far + near - ndc * (far - near)), 0).reshape(height, width)[::-1]
    return rgb, depth


def render(i):
    left = poses[i % npose].astype(np.float64)
    return view(left), view(left @ right_of_left)


for i in range(3):
    render(i)
start = time.perf_counter()
for i in range(renders):
    render(i)
elapsed = time.perf_counter() - start
print(json.dumps({"renderer": renderer, "renders": renders, "seconds": elapsed, "renders_per_s": renders / elapsed,
                  "threads": os.environ.get("LP_NUM_THREADS", "default")}))
