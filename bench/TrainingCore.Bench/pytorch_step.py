"""PyTorch 1.13 side of the TrainingCore benchmark: the same networks, losses and optimiser as the C#
trainer (tests/TrainingCore.Tests/golden/distdepth_reference.py), timed the same way.

Run by bench/TrainingCore.Bench (Program.cs) with /usr/bin/python3; prints one JSON line.
"""
import argparse
import json
import os
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "TrainingCore.Tests", "golden"))
import distdepth_reference as ref  # noqa: E402


def main():
    a = argparse.ArgumentParser()
    a.add_argument("--batch", type=int, default=8)
    a.add_argument("--size", type=int, default=256)
    a.add_argument("--warmup", type=int, default=2)
    a.add_argument("--steps", type=int, default=5)
    a.add_argument("--inference-iters", type=int, default=20)
    a.add_argument("--threads", type=int, default=2)
    args = a.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    b, s = args.batch, args.size

    depth_net, pose_net = ref.DepthNet(18), ref.PoseNet(18)
    optimizer = torch.optim.Adam(list(depth_net.parameters()) + list(pose_net.parameters()), lr=2e-4)
    frames = {k: torch.rand(b, 3, s, s) for k in ("target", "prev", "next", "right")}
    K = torch.tensor([[s / 2, 0, (s - 1) / 2, 0], [0, s / 2, (s - 1) / 2, 0], [0, 0, 1, 0], [0, 0, 0, 1]]).repeat(b, 1, 1)
    inp = dict(frames, K=K, baseline=torch.full((b,), 0.1312), flipped=torch.arange(b) % 2 == 1, expert=torch.rand(b, 1, s, s))

    def step():
        depth_net.train()
        pose_net.train()
        optimizer.zero_grad()
        disps = depth_net(inp["target"])
        to_prev = ref.transformation_from_parameters(*pose_net(inp["prev"], inp["target"]), invert=True)
        to_next = ref.transformation_from_parameters(*pose_net(inp["target"], inp["next"]), invert=False)
        noises = [torch.randn(b, 3, s, s) * 1e-5 for _ in range(4)]
        total = ref.distdepth_loss(inp, disps, to_prev, to_next, noises)[0]
        total.backward()
        optimizer.step()
        return total.item()

    for _ in range(args.warmup):
        step()
    times = []
    for _ in range(args.steps):
        t0 = time.perf_counter()
        step()
        times.append(time.perf_counter() - t0)

    depth_net.eval()
    image = torch.rand(1, 3, s, s)
    with torch.no_grad():
        for _ in range(3):
            depth_net(image)
        t0 = time.perf_counter()
        for _ in range(args.inference_iters):
            depth_net(image)
        fps = args.inference_iters / (time.perf_counter() - t0)
    print(json.dumps({"torch": torch.__version__, "step_seconds": times, "inference_fps": fps}))


if __name__ == "__main__":
    main()
