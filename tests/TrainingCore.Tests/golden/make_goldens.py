"""Writes the golden inputs and PyTorch-computed values for the C# loss/geometry/network tests.

Run with Debian's PyTorch 1.13:  /usr/bin/python3 tests/TrainingCore.Tests/golden/make_goldens.py
Output (committed): goldens.json (tensor index + expected scalars) and goldens.bin (float32 LE).
"""
import json
import os

import torch
import torch.nn.functional as F

import distdepth_reference as ref

HERE = os.path.dirname(os.path.abspath(__file__))
B, H, W = 2, 32, 48


def smooth_random(g, c, lo=(8, 12)):
    """Low-frequency texture plus a little fine noise: realistic gradients, no quantile ties."""
    coarse = F.interpolate(torch.rand(B, c, *lo, generator=g), (H, W), mode="bilinear", align_corners=False)
    return (0.85 * coarse + 0.15 * torch.rand(B, c, H, W, generator=g)).float()


def main():
    g = torch.Generator().manual_seed(5)
    t = {}
    for name in ("target", "prev", "next", "right"):
        t[name] = smooth_random(g, 3)
    K = torch.tensor([[24.0, 0, 23.5, 0], [0, 24.0, 15.5, 0], [0, 0, 1, 0], [0, 0, 0, 1]])
    t["K"] = K.repeat(B, 1, 1)
    t["baseline"] = torch.tensor([0.1312, 0.12])
    t["flipped"] = torch.tensor([0.0, 1.0])  # stored as float, 1 = flipped
    t["expert"] = 4 * smooth_random(g, 1)
    for s in range(4):
        h, w = H >> s, W >> s
        t[f"disp{s}"] = torch.sigmoid(2 * F.interpolate(torch.randn(B, 1, 4, 6, generator=g), (h, w), mode="bilinear", align_corners=False)
                                      + 0.3 * torch.randn(B, 1, h, w, generator=g))
        t[f"noise{s}"] = torch.randn(B, 3, H, W, generator=g) * 1e-5
    for name in ("prev", "next"):
        t[f"axis_{name}"] = 0.05 * torch.randn(B, 3, generator=g)
        t[f"translation_{name}"] = 0.05 * torch.randn(B, 3, generator=g)
    inp = dict(t, flipped=t["flipped"] > 0.5)

    to_prev = ref.transformation_from_parameters(t["axis_prev"], t["translation_prev"], invert=True)
    to_next = ref.transformation_from_parameters(t["axis_next"], t["translation_next"], invert=False)
    stereo = ref.stereo_transform(t["baseline"], inp["flipped"])
    disps = [t[f"disp{s}"] for s in range(4)]
    depth0 = ref.disp_to_depth(disps[0])
    warped_right = ref.warp(t["right"], depth0, t["K"], stereo)
    warped = [ref.warp(src, depth0, t["K"], T) for src, T in ((t["prev"], to_prev), (t["next"], to_next), (t["right"], stereo))]
    aligned = ref.align_expert(t["expert"], depth0)
    aligned_rows = ref.align_expert(t["expert"], depth0, rowwise=True)
    aligned_median = ref.align_expert_median(t["expert"], depth0)

    expected_tensors = {
        "expected_to_prev": to_prev, "expected_to_next": to_next, "expected_stereo": stereo,
        "expected_depth0": depth0, "expected_warped_right": warped_right, "expected_aligned": aligned,
        "expected_aligned_median": aligned_median,
    }
    noises = [t[f"noise{s}"] for s in range(4)]
    total, photo, stat, spat = ref.distdepth_loss(inp, disps, to_prev, to_next, noises)
    total_nd = ref.distdepth_loss(inp, disps, to_prev, to_next, noises, w_dist=0)[0]
    total_early = ref.distdepth_loss(inp, disps, to_prev, to_next, noises, w_dist=1.0, early=True)[0]
    scalars = {
        "ssim_dissimilarity_mean": ref.ssim_dissimilarity(t["target"], t["right"]).mean(),
        "photometric_mean": ref.photometric_error(t["target"], t["right"]).mean(),
        "min_reprojection": ref.min_reprojection(t["target"], warped, ref.identity_errors(t["target"], [t["prev"], t["next"], t["right"]]), noises[0]),
        "smoothness_scale0": ref.smoothness(disps[0], t["target"]),
        "smoothness_scale2": ref.smoothness(disps[2], F.avg_pool2d(t["target"], 4)),
        "statistical_image": ref.statistical_loss(aligned, depth0),
        "statistical_rowwise": ref.statistical_loss(aligned_rows, depth0),
        "statistical_median": ref.statistical_loss(aligned_median, depth0),
        "spatial": ref.spatial_loss(aligned, depth0),
        "spatial_quantile_0_9": ref.spatial_loss(aligned, depth0, alpha=0.9),
        "total": total, "total_photometric": photo, "total_statistical": stat, "total_spatial": spat,
        "total_no_distill": total_nd,
        "total_early_revision": total_early,
    }

    # Network forward on deterministically filled weights, in eval mode (batch norm as its affine map).
    # Train mode normalises the 2x2 deepest maps by batch statistics, which amplifies float32 rounding:
    # float32 vs float64 on one machine differ by 4e-4 (coarsest disparity) and 4e-3 (pose), so goldens
    # made on one CPU failed on another. Eval mode differs by ~1e-6, and a wiring mistake (upsampling
    # mode, an activation, frame order) still moves some output by 1.5e-4 or more.
    torch.manual_seed(0)
    image = F.interpolate(torch.rand(B, 3, 8, 8, generator=g), (64, 64), mode="bilinear", align_corners=False)
    t["net_image"], t["net_image_next"] = image, image.flip(3)
    depth_net, pose_net = ref.DepthNet(18), ref.PoseNet(18)
    ref.deterministic_fill(depth_net)
    ref.deterministic_fill(pose_net)
    depth_net.eval(), pose_net.eval()
    with torch.no_grad():
        for s, d in enumerate(depth_net(image)):
            expected_tensors[f"expected_net_disp{s}"] = d
        axis, translation = pose_net(image, image.flip(3))
        expected_tensors["expected_pose"] = torch.cat([axis, translation], 1)

    index, blobs, offset = {}, [], 0
    for name, tensor in {**t, **expected_tensors}.items():
        data = tensor.detach().float().contiguous().numpy().astype("<f4").tobytes()
        index[name] = {"shape": list(tensor.shape), "offset": offset}
        blobs.append(data)
        offset += len(data)
    with open(os.path.join(HERE, "goldens.bin"), "wb") as f:
        f.write(b"".join(blobs))
    with open(os.path.join(HERE, "goldens.json"), "w") as f:
        json.dump({"generator": "make_goldens.py, torch " + torch.__version__,
                   "tensors": index, "scalars": {k: float(v) for k, v in scalars.items()}}, f, indent=1)
    print({k: round(float(v), 6) for k, v in scalars.items()}, f"{offset} bytes")


if __name__ == "__main__":
    main()
