# The anchor for issue 17: the per-frame I/O of facebookresearch/DistDepth's stereo_agent_example.py
# (its _render loop), on simgen's frames: both views' float32 depth maps saved with np.save, and both
# RGB observations (habitat's RGBA, alpha dropped and channels reversed by slicing, as there) written
# with cv2.imwrite at OpenCV's default PNG level. Prints the write loop's CPU seconds; loading the
# frames is not part of it. Run by PreviousSimgenBench.cs with Debian's python3-opencv.
# Usage: anchor_io.py FRAMES_FILE COUNT OUT_DIR [SIZE]  (per frame: RGBA left, RGBA right, depth left, depth right)
import os
import sys
import time

import cv2
import numpy as np

path, count, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
size = int(sys.argv[4]) if len(sys.argv) > 4 else 512
rgba_bytes, depth_bytes = size * size * 4, size * size * 4
data = np.fromfile(path, dtype=np.uint8)
frames = []
for i in range(count):
    at = i * 2 * (rgba_bytes + depth_bytes)
    left = data[at:at + rgba_bytes].reshape(size, size, 4)
    right = data[at + rgba_bytes:at + 2 * rgba_bytes].reshape(size, size, 4)
    at += 2 * rgba_bytes
    depth_left = data[at:at + depth_bytes].view(np.float32).reshape(size, size).copy()
    depth_right = data[at + depth_bytes:at + 2 * depth_bytes].view(np.float32).reshape(size, size).copy()
    frames.append((left.copy(), right.copy(), depth_left, depth_right))

os.makedirs(out, exist_ok=True)
start = time.process_time()
for idx, (left, right, depth_left, depth_right) in enumerate(frames):
    np.save(f'{out}/{idx:03d}_0_depth.npy', depth_left)
    np.save(f'{out}/{idx:03d}_1_depth.npy', depth_right)
    cv2.imwrite(f'{out}/{idx:03d}_0.png', left[:, :, :3][..., ::-1])
    cv2.imwrite(f'{out}/{idx:03d}_1.png', right[:, :, :3][..., ::-1])
print('cpu_seconds', time.process_time() - start)
