"""Writes a torchvision ResNet state dict (as monodepth2 and DistDepth start from) and what torchvision computes with it.

usage: torchvision_resnet.py LAYERS OUT_DIR
OUT_DIR/resnetLAYERS.pth   torch.save(model.state_dict()), random weights (seed 0) with non-trivial
                           BatchNorm running statistics, so that loading them matters
OUT_DIR/input.f32          [1,3,64,96] image in [0,1], float32 little-endian
OUT_DIR/layerK.f32         torchvision's conv1+bn1+relu (K=0) and layer1..4 (K=1..4) outputs for the
                           image normalised as the C# encoder does ((x - 0.45) / 0.225), eval mode
"""
import os
import sys

import torch
import torchvision

layers, out = int(sys.argv[1]), sys.argv[2]
torch.manual_seed(0)
model = getattr(torchvision.models, f"resnet{layers}")()
with torch.no_grad():
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_mean.uniform_(-0.2, 0.2)
            m.running_var.uniform_(0.5, 1.5)
            m.weight.uniform_(0.5, 1.5)
            m.bias.uniform_(-0.2, 0.2)
model.eval()
torch.save(model.state_dict(), os.path.join(out, f"resnet{layers}.pth"))

image = torch.rand(1, 3, 64, 96)
image.numpy().astype("<f4").tofile(os.path.join(out, "input.f32"))
with torch.no_grad():
    x = model.relu(model.bn1(model.conv1((image - 0.45) / 0.225)))
    features = [x]
    x = model.maxpool(x)
    for stage in (model.layer1, model.layer2, model.layer3, model.layer4):
        x = stage(x)
        features.append(x)
for k, f in enumerate(features):
    f.numpy().astype("<f4").tofile(os.path.join(out, f"layer{k}.f32"))
