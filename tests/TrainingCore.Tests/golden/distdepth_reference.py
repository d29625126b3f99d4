"""PyTorch reference of the DistDepth model and losses, written from docs/METHOD.md.

Used by make_goldens.py (golden values for the C# tests) and by the training benchmark
(bench/TrainingCore.Bench/pytorch_step.py). Runs on Debian's python3-torch 1.13 (/usr/bin/python3).
Written in the monodepth2 idiom (index assignment, meshgrid buffers) on purpose, so the C# port is
checked against an independent formulation rather than a transliteration.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

C1, C2 = 0.01 ** 2, 0.03 ** 2


# ---------------------------------------------------------------- networks
class ResnetEncoder(nn.Module):
    def __init__(self, layers, frames=1):
        super().__init__()
        resnet = getattr(torchvision.models, f"resnet{layers}")()
        if frames > 1:
            stem = nn.Conv2d(3 * frames, 64, 7, 2, 3, bias=False)
            stem.weight.data = torch.cat([resnet.conv1.weight.data] * frames, 1) / frames
            resnet.conv1 = stem
        self.conv1, self.bn1 = resnet.conv1, resnet.bn1
        self.layer1, self.layer2, self.layer3, self.layer4 = resnet.layer1, resnet.layer2, resnet.layer3, resnet.layer4
        self.channels = [64, 64, 128, 256, 512] if layers < 50 else [64, 256, 512, 1024, 2048]

    def forward(self, x):
        f = [F.relu(self.bn1(self.conv1((x - 0.45) / 0.225)))]
        f.append(self.layer1(F.max_pool2d(f[-1], 3, 2, 1)))
        for layer in (self.layer2, self.layer3, self.layer4):
            f.append(layer(f[-1]))
        return f


class ConvBlock(nn.Module):
    def __init__(self, cin, cout, elu=True):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 3)
        self.elu = elu

    def forward(self, x):
        y = self.conv(F.pad(x, (1, 1, 1, 1), mode="reflect"))
        return F.elu(y) if self.elu else y


class DepthDecoder(nn.Module):
    def __init__(self, enc):
        super().__init__()
        dec = [16, 32, 64, 128, 256]
        self.up0 = nn.ModuleList([ConvBlock(enc[4] if i == 4 else dec[i + 1], dec[i]) for i in range(5)])
        self.up1 = nn.ModuleList([ConvBlock(dec[i] + (enc[i - 1] if i > 0 else 0), dec[i]) for i in range(5)])
        self.disp = nn.ModuleList([ConvBlock(dec[s], 1, elu=False) for s in range(4)])

    def forward(self, f):
        out = {}
        x = f[4]
        for i in range(4, -1, -1):
            x = F.interpolate(self.up0[i](x), scale_factor=2, mode="bilinear", align_corners=False)
            if i > 0:
                x = torch.cat([x, f[i - 1]], 1)
            x = self.up1[i](x)
            if i < 4:
                out[i] = torch.sigmoid(self.disp[i](x))
        return [out[s] for s in range(4)]


class DepthNet(nn.Module):
    def __init__(self, layers=18):
        super().__init__()
        self.encoder = ResnetEncoder(layers)
        self.decoder = DepthDecoder(self.encoder.channels)

    def forward(self, x):
        return self.decoder(self.encoder(x))


class PoseNet(nn.Module):
    def __init__(self, layers=18):
        super().__init__()
        self.encoder = ResnetEncoder(layers, frames=2)
        self.squeeze = nn.Conv2d(self.encoder.channels[4], 256, 1)
        self.pose = nn.ModuleList([nn.Conv2d(256, 256, 3, 1, 1), nn.Conv2d(256, 256, 3, 1, 1), nn.Conv2d(256, 6, 1)])

    def forward(self, a, b):
        x = F.relu(self.squeeze(self.encoder(torch.cat([a, b], 1))[4]))
        for i, conv in enumerate(self.pose):
            x = conv(x)
            if i < 2:
                x = F.relu(x)
        out = 0.01 * x.mean(3).mean(2)
        return out[:, :3], out[:, 3:]


def deterministic_fill(module):
    """Same values as the C# tests' fill: depends only on each tensor's shape and leaf name."""
    with torch.no_grad():
        for name, p in module.named_parameters():
            n = p.numel()
            v = torch.sin(0.37 * torch.arange(n, dtype=torch.float64) + 0.011 * n)
            if p.dim() > 1:
                v = v * 2 / (n / p.shape[0]) ** 0.5  # variance 2 / fan_in, activations keep their scale
            elif name.endswith("weight"):
                v = 1 + 0.1 * v
            else:
                v = 0.1 * v
            p.copy_(v.view(p.shape).float())


def disp_to_depth(disp, min_depth=0.1, max_depth=10.0):
    min_disp, max_disp = 1 / max_depth, 1 / min_depth
    return 1 / (min_disp + (max_disp - min_disp) * disp)


# ---------------------------------------------------------------- geometry
def rot_from_axisangle(vec):
    angle = torch.norm(vec, 2, 1, True)
    axis = vec / (angle + 1e-7)
    ca, sa = torch.cos(angle)[:, 0], torch.sin(angle)[:, 0]
    C = 1 - ca
    x, y, z = axis[:, 0], axis[:, 1], axis[:, 2]
    rot = torch.zeros((vec.shape[0], 4, 4), dtype=vec.dtype)
    rot[:, 0, 0] = x * x * C + ca
    rot[:, 0, 1] = x * y * C - z * sa
    rot[:, 0, 2] = z * x * C + y * sa
    rot[:, 1, 0] = x * y * C + z * sa
    rot[:, 1, 1] = y * y * C + ca
    rot[:, 1, 2] = y * z * C - x * sa
    rot[:, 2, 0] = z * x * C - y * sa
    rot[:, 2, 1] = y * z * C + x * sa
    rot[:, 2, 2] = z * z * C + ca
    rot[:, 3, 3] = 1
    return rot


def translation_matrix(t):
    T = torch.eye(4, dtype=t.dtype).repeat(t.shape[0], 1, 1)
    T[:, :3, 3] = t
    return T


def transformation_from_parameters(axisangle, translation, invert):
    R = rot_from_axisangle(axisangle)
    if invert:
        return R.transpose(1, 2) @ translation_matrix(-translation)
    return translation_matrix(translation) @ R


def stereo_transform(baseline, flipped):
    """Left target -> right source; the right camera is at +B along x; a flip swaps the sign."""
    sign = torch.where(flipped, torch.ones_like(baseline), -torch.ones_like(baseline))
    T = torch.eye(4).repeat(baseline.shape[0], 1, 1)
    T[:, 0, 3] = sign * baseline
    return T


def warp(source, depth, K, T):
    b, _, h, w = depth.shape
    ys, xs = torch.meshgrid(torch.arange(h, dtype=torch.float32), torch.arange(w, dtype=torch.float32), indexing="ij")
    pix = torch.stack([xs.reshape(-1), ys.reshape(-1), torch.ones(h * w)], 0).unsqueeze(0)
    cam = depth.view(b, 1, -1) * (torch.inverse(K)[:, :3, :3] @ pix)
    cam = torch.cat([cam, torch.ones(b, 1, h * w)], 1)
    p = (K @ T)[:, :3, :] @ cam
    p = p[:, :2] / (p[:, 2:3] + 1e-7)
    p = p.view(b, 2, h, w).permute(0, 2, 3, 1)
    p = torch.stack([p[..., 0] / (w - 1), p[..., 1] / (h - 1)], -1) * 2 - 1
    return F.grid_sample(source, p, mode="bilinear", padding_mode="border", align_corners=True)


# ---------------------------------------------------------------- losses
def ssim_dissimilarity(x, y):
    x, y = F.pad(x, (1, 1, 1, 1), mode="reflect"), F.pad(y, (1, 1, 1, 1), mode="reflect")
    mu_x, mu_y = F.avg_pool2d(x, 3, 1), F.avg_pool2d(y, 3, 1)
    sigma_x = F.avg_pool2d(x ** 2, 3, 1) - mu_x ** 2
    sigma_y = F.avg_pool2d(y ** 2, 3, 1) - mu_y ** 2
    sigma_xy = F.avg_pool2d(x * y, 3, 1) - mu_x * mu_y
    n = (2 * mu_x * mu_y + C1) * (2 * sigma_xy + C2)
    d = (mu_x ** 2 + mu_y ** 2 + C1) * (sigma_x + sigma_y + C2)
    return torch.clamp((1 - n / d) / 2, 0, 1)


def photometric_error(pred, target):
    return 0.85 * ssim_dissimilarity(pred, target).mean(1, True) + 0.15 * (pred - target).abs().mean(1, True)


def identity_errors(target, sources):
    """pe of the unwarped sources: depth-independent, so computed once and shared by all scales."""
    return torch.cat([photometric_error(s, target) for s in sources], 1)


def min_reprojection(target, warped, identity, noise):
    reproj = torch.cat([photometric_error(w, target) for w in warped], 1)
    return torch.min(torch.cat([identity + noise, reproj], 1), dim=1)[0].mean()


def smoothness(disp, img):
    disp = disp / (disp.mean(2, True).mean(3, True) + 1e-7)
    gdx = (disp[:, :, :, :-1] - disp[:, :, :, 1:]).abs()
    gdy = (disp[:, :, :-1, :] - disp[:, :, 1:, :]).abs()
    gix = (img[:, :, :, :-1] - img[:, :, :, 1:]).abs().mean(1, True)
    giy = (img[:, :, :-1, :] - img[:, :, 1:, :]).abs().mean(1, True)
    return (gdx * torch.exp(-gix)).mean() + (gdy * torch.exp(-giy)).mean()


def align_expert(expert, depth, rowwise=False):
    """Least squares D ~ a * (1 / (E + 1)) + b, one fit per image (or per row), detached."""
    with torch.no_grad():
        de = 1 / (expert + 1)
        b, _, h, w = de.shape
        x = de.reshape(b * h, w) if rowwise else de.reshape(b, h * w)
        y = depth.detach().reshape(x.shape)
        xm, ym = x.mean(1, True), y.mean(1, True)
        a = ((x - xm) * (y - ym)).mean(1, True) / (((x - xm) ** 2).mean(1, True) + 1e-8)
        return (a * x + (ym - a * xm)).view(b, 1, h, w)


def align_expert_median(expert, depth):
    """DistDepth's earlier revisions: D_e * median(D) / median(D_e) per image, detached."""
    with torch.no_grad():
        de = 1 / (expert + 1)
        b = de.shape[0]
        ratio = depth.detach().reshape(b, -1).median(1).values / de.reshape(b, -1).median(1).values
        return de * ratio.view(b, 1, 1, 1)


def statistical_loss(aligned, depth):
    """SSIM of both maps divided by the student's detached median per image. DistDepth compares raw
    metres; there SSIM's constants (sized for values of order 1) reward shrinking both maps, and the
    aligned expert follows the student's scale, so the student learned to shrink (RESULTS, issue 14)."""
    b = depth.shape[0]
    m = depth.detach().reshape(b, -1).median(1).values.view(b, 1, 1, 1)
    return ssim_dissimilarity(aligned / m, depth / m).mean()


def sobel_magnitude(d, border=5):
    kx = torch.tensor([[-1., 0., 1.], [-2., 0., 2.], [-1., 0., 1.]]).view(1, 1, 3, 3)
    gx, gy = F.conv2d(d, kx, padding=1), F.conv2d(d, kx.transpose(2, 3), padding=1)
    m = torch.sqrt(gx ** 2 + gy ** 2 + 1e-6)
    m = F.normalize(m.view(m.shape[0], -1), p=2, dim=1).view_as(m)
    return m[:, 0, border:-border, border:-border].reshape(m.shape[0], -1)


def spatial_loss(aligned, depth, alpha=0.95, delta=0.8, weight=0.02):
    et, ep = sobel_magnitude(aligned), sobel_magnitude(depth)
    P = et > torch.quantile(et, alpha, dim=1, keepdim=True)
    tau = torch.quantile(ep.detach().reshape(-1), alpha)
    soft = F.softsign(ep - tau)[P]
    if soft.numel() == 0:
        return soft.sum()
    return weight * F.huber_loss(soft, torch.ones_like(soft), delta=delta)


def distdepth_loss(inp, disps, to_prev, to_next, noises, w_dist=0.05, rowwise=False, early=False):
    """early: the earlier revision (w_dist as given, median alignment, spatial coefficient 0.001)."""
    """inp: dict target, prev, next, right, K, baseline, flipped, expert. Returns (total, photo, stat, spatial)."""
    target = inp["target"]
    h, w = target.shape[2:]
    sources = [inp["prev"], inp["next"], inp["right"]]
    Ts = [to_prev, to_next, stereo_transform(inp["baseline"], inp["flipped"])]
    identity = identity_errors(target, sources)
    photo = 0
    for s, disp in enumerate(disps):
        up = F.interpolate(disp, (h, w), mode="bilinear", align_corners=False)
        depth = disp_to_depth(up)
        warped = [warp(src, depth, inp["K"], T) for src, T in zip(sources, Ts)]
        img = F.avg_pool2d(target, 2 ** s) if s > 0 else target
        photo = photo + min_reprojection(target, warped, identity, noises[s]) + 1e-3 * smoothness(disp, img) / 2 ** s
    photo = photo / len(disps)
    if w_dist == 0:
        z = torch.zeros_like(photo)
        return photo, photo, z, z
    depth0 = disp_to_depth(disps[0])
    aligned = align_expert_median(inp["expert"], depth0) if early else align_expert(inp["expert"], depth0, rowwise)
    stat, spat = statistical_loss(aligned, depth0), spatial_loss(aligned, depth0, weight=0.001 if early else 0.02)
    return photo + w_dist * (stat + spat), photo, stat, spat
