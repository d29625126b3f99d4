"""PyTorch 1.13 side of the TrainingCore benchmark: the same networks, losses and optimiser as the C#
trainer (tests/TrainingCore.Tests/golden/distdepth_reference.py).

Run by bench/TrainingCore.Bench (Program.cs) with /usr/bin/python3. It serves timing requests on
stdin, one per line, so the C# side can alternate its own steps with these: on a shared machine both
then see the same background load. "train" runs one training step, "infer N" N batch-1 forwards;
each answers one line with the elapsed seconds. The first line written is the torch version.
"""
import argparse
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

    image = torch.rand(1, 3, s, s)

    def infer(n):
        depth_net.eval()
        with torch.no_grad():
            for _ in range(n):
                depth_net(image)

    print(torch.__version__, flush=True)
    for line in sys.stdin:
        command = line.split()
        t0 = time.perf_counter()
        if command[0] == "train":
            step()
        else:
            infer(int(command[1]))
        print(time.perf_counter() - t0, flush=True)

if __name__ == "__main__":
    main()
