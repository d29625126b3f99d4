"""A small stand-in for NYUv2's labeled set in its real layout, written the way MATLAB -v7.3 writes it.

usage: make_nyu.py OUT_DIR
OUT_DIR/nyu_depth_v2_labeled.mat  HDF5 with a 512-byte user block (MATLAB's header): `images` uint8
                                  [N,3,640,480] and `depths` float32 [N,640,480] (MATLAB's HxWx3xN and
                                  HxWxN, column-major), N = 3
OUT_DIR/splits.mat                MATLAB 5 file (scipy.io.savemat, compressed) with testNdxs = [3; 1] and
                                  trainNdxs = [2], 1-based column vectors as in the NYU toolbox
OUT_DIR/expected.txt              the flat-at-GT-median AbsRel of the test split inside the Eigen crop
                                  (rows 45-470, columns 41-600), 0.01 < GT <= 10 m
"""
import os
import sys

import h5py
import numpy as np
import scipy.io

out = sys.argv[1]
n, h, w = 3, 480, 640
y, x = np.mgrid[0:h, 0:w]
images = np.zeros((n, 3, w, h), np.uint8)
depths = np.zeros((n, w, h), np.float32)
for k in range(n):
    rgb = np.stack([x % 256, y % 256, np.full_like(x, 50 * k)]).astype(np.uint8)   # [3, H, W]
    images[k] = rgb.transpose(0, 2, 1)                                               # MATLAB order: [3, W, H]
    depth = (1.0 + 3.0 * x / w + k * 0.5).astype(np.float32)
    depth[:45, :] = 9.0                      # outside the Eigen crop: valid depth that must not count
    depth[:, 601:] = 9.0
    depths[k] = depth.T
with h5py.File(os.path.join(out, "nyu_depth_v2_labeled.mat"), "w", userblock_size=512) as f:
    f["images"] = images
    f["depths"] = depths
scipy.io.savemat(os.path.join(out, "splits.mat"), {"testNdxs": np.array([[3.0], [1.0]]), "trainNdxs": np.array([[2.0]])},
                 do_compression=True)

absrel = []
for k in (2, 0):
    g = depths[k].T[45:471, 41:601]
    g = g[(g > 0.01) & (g <= 10)]
    med = np.median(g)
    absrel.append(np.mean(np.abs(g - med) / g))
with open(os.path.join(out, "expected.txt"), "w") as f:
    f.write(f"{np.mean(absrel):.4f}\n")
