"""A tiny stand-in for a relative-depth expert, for the expert stage's tests (Debian's /usr/bin/python3 + python3-torch).

  tiny_expert.py export DIR
      writes DIR/dynamic.onnx (input [1,3,H,W], any H, W) and DIR/fixed64.onnx (input [1,3,64,64]).
  tiny_expert.py reference SIZE MR MG MB SR SG SB WIDTH HEIGHT FILE.rgb...
      runs the same network in PyTorch on raw RGB files (uint8, HxWx3) the way the expert stage
      preprocesses them, and writes FILE.rgb.out (float32, HxW): the expected expert map.
"""
import sys

import numpy as np
import torch
import torch.nn.functional as F


class TinyExpert(torch.nn.Module):
    """RGB -> a non-negative inverse-depth-like map (conv, relu, 1x1 conv, relu), fixed seeded weights."""

    def __init__(self):
        super().__init__()
        torch.manual_seed(5)
        self.features = torch.nn.Conv2d(3, 4, 3, padding=1)
        self.head = torch.nn.Conv2d(4, 1, 1)
        with torch.no_grad():
            self.head.bias.fill_(0.5)

    def forward(self, x):
        return torch.relu(self.head(torch.relu(self.features(x)))).squeeze(1)


def resize(x, height, width):
    # The expert stage's rule: area averaging when shrinking, bilinear (half-pixel centres) otherwise.
    shrink = width <= x.shape[-1] and height <= x.shape[-2]
    if shrink:
        return F.interpolate(x, size=(height, width), mode="area")
    return F.interpolate(x, size=(height, width), mode="bilinear", align_corners=False)


def export(folder):
    model = TinyExpert().eval()
    example = torch.zeros(1, 3, 64, 64)
    torch.onnx.export(model, example, f"{folder}/dynamic.onnx", input_names=["image"], output_names=["inverse_depth"],
                      dynamic_axes={"image": {2: "height", 3: "width"}, "inverse_depth": {1: "height", 2: "width"}}, opset_version=13)
    torch.onnx.export(model, example, f"{folder}/fixed64.onnx", input_names=["image"], output_names=["inverse_depth"], opset_version=13)


def reference(size, mean, std, width, height, files):
    model = TinyExpert().eval()
    mean = torch.tensor(mean).view(1, 3, 1, 1)
    std = torch.tensor(std).view(1, 3, 1, 1)
    for name in files:
        rgb = np.fromfile(name, dtype=np.uint8).reshape(height, width, 3)
        x = torch.from_numpy(rgb).float().permute(2, 0, 1).unsqueeze(0) / 255
        x = (resize(x, size, size) - mean) / std
        with torch.no_grad():
            e = model(x).unsqueeze(1)
        resize(e, height, width)[0, 0].numpy().astype(np.float32).tofile(name + ".out")


if __name__ == "__main__":
    if sys.argv[1] == "export":
        export(sys.argv[2])
    else:
        a = sys.argv[2:]
        reference(int(a[0]), [float(v) for v in a[1:4]], [float(v) for v in a[4:7]], int(a[7]), int(a[8]), a[9:])
