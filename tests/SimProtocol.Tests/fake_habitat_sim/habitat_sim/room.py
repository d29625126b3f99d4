"""The one scene: a 6 x 2.7 x 5 m room with a ceiling, a window onto nothing in the -z wall (so
there is void to look into), three box obstacles and a low stage along the +x wall that an agent
steps up onto (as onto a stair). Surfaces carry a procedural texture that is a
function of the world point, so both eyes of a stereo pair see the same surface colours."""
import numpy as np

ROOM_MIN = np.array([-3.0, 0.0, -2.5])
ROOM_MAX = np.array([3.0, 2.7, 2.5])
WINDOW_X = (-1.0, 1.0)
WINDOW_Y = (0.9, 2.1)
BOXES = [  # (min, max): a table, a cabinet against the wall, a pillar
    (np.array([0.5, 0.0, -0.8]), np.array([1.5, 0.75, 0.2])),
    (np.array([-3.0, 0.0, 0.8]), np.array([-2.4, 1.8, 2.0])),
    (np.array([-1.0, 0.0, -1.2]), np.array([-0.6, 2.7, -0.8])),
]
TABLE = BOXES[0]  # low enough to leave head room on top: its top is a navmesh island of its own
STAGE = (np.array([2.2, 0.0, -2.5]), np.array([3.0, 0.08, 2.5]))  # under agent_max_climb: walkable, no obstacle


def floor_height(x, z):
    """The walkable floor's height at (x, z): the stage's top on it, 0 elsewhere."""
    lo, hi = STAGE
    return float(hi[1]) if lo[0] <= x <= hi[0] and lo[2] <= z <= hi[2] else 0.0
_BASE = np.array([[0.55, 0.4, 0.28], [0.9, 0.9, 0.88], [0.75, 0.68, 0.55], [0.6, 0.7, 0.75],
                  [0.45, 0.5, 0.65], [0.35, 0.55, 0.4], [0.7, 0.45, 0.3]])
_LIGHT = np.array([0.3, 0.8, 0.5]) / np.linalg.norm([0.3, 0.8, 0.5])


def _safe(d):
    return np.where(np.abs(d) < 1e-12, 1e-12, d)


def raycast(origins, directions):
    """Distances along `directions` (not normalised) to the first surface, inf where a ray escapes
    through the window, plus each hit's surface id and normal."""
    d = _safe(directions)
    # Leaving the room from inside: the nearest exit plane on each axis.
    bound = np.where(d > 0, ROOM_MAX, ROOM_MIN)
    t_axes = (bound - origins) / d
    axis = np.argmin(t_axes, axis=-1)
    t = np.take_along_axis(t_axes, axis[..., None], axis=-1)[..., 0]
    normal = np.zeros_like(d)
    np.put_along_axis(normal, axis[..., None], -np.sign(np.take_along_axis(d, axis[..., None], -1)), axis=-1)
    surface = np.where(axis == 1, np.where(d[..., 1] < 0, 0, 1), 2 + axis // 2)
    hit = origins + d * t[..., None]
    window = ((axis == 2) & (d[..., 2] < 0) & (hit[..., 0] > WINDOW_X[0]) & (hit[..., 0] < WINDOW_X[1])
              & (hit[..., 1] > WINDOW_Y[0]) & (hit[..., 1] < WINDOW_Y[1]))
    t = np.where(window, np.inf, t)
    for i, (lo, hi) in enumerate(BOXES + [STAGE]):
        t1, t2 = (lo - origins) / d, (hi - origins) / d
        near_axes = np.minimum(t1, t2)
        near = near_axes.max(-1)
        far = np.maximum(t1, t2).min(-1)
        closer = (near <= far) & (near > 0) & (near < t)
        t = np.where(closer, near, t)
        box_axis = np.argmax(near_axes, axis=-1)
        box_normal = np.zeros_like(d)
        np.put_along_axis(box_normal, box_axis[..., None], -np.sign(np.take_along_axis(d, box_axis[..., None], -1)), axis=-1)
        normal = np.where(closer[..., None], box_normal, normal)
        surface = np.where(closer, 4 + i, surface)
    return t, np.minimum(surface, len(_BASE) - 1), normal


def shade(points, surface, normal):
    """RGB in 0..1: a surface colour times a texture of the world point, with diffuse light."""
    p = points
    texture = (0.55 + 0.2 * np.sin(7.1 * p[..., 0] + 3.3 * p[..., 1] + 1.7 * p[..., 2])
               + 0.15 * np.sin(23.0 * p[..., 2] + 5.0 * p[..., 0]) * np.sin(19.0 * p[..., 1] + 11.0 * p[..., 0])
               + 0.1 * np.sign(np.sin(6.0 * p[..., 0]) * np.sin(6.0 * p[..., 1]) * np.sin(6.0 * p[..., 2])))
    light = 0.45 + 0.55 * np.abs(normal @ _LIGHT)
    return np.clip(_BASE[surface] * (texture * light)[..., None], 0, 1)


def render(position, rotation_matrix, width, height, hfov_deg, empty=False):
    """RGBA uint8 (H, W, 4) and planar z-depth float32 (H, W), 0 where a ray escapes (everywhere
    in an `empty` scene, one without geometry)."""
    f = (width / 2) / np.tan(np.radians(hfov_deg) / 2)
    u = (np.arange(width) + 0.5 - width / 2) / f
    v = -(np.arange(height) + 0.5 - height / 2) / f
    camera = np.stack(np.broadcast_arrays(u[None, :], v[:, None], -np.ones((height, width))), axis=-1)
    directions = camera @ rotation_matrix.T
    origins = np.broadcast_to(np.asarray(position, dtype=float), directions.shape)
    # The camera-space ray has z = -1, so the distance along it is the z-depth.
    t, surface, normal = raycast(origins, directions)
    hit = np.isfinite(t) & (not empty)
    rgb = shade(origins + directions * np.where(hit, t, 0)[..., None], surface, normal)
    rgba = np.concatenate([np.where(hit[..., None], rgb, 0), np.ones((height, width, 1))], axis=-1)
    return (rgba * 255).round().astype(np.uint8), np.where(hit, t, 0).astype(np.float32)
