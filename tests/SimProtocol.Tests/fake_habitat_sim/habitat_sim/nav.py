"""The room's navmesh, with the habits of habitat-sim's PathFinder (src/esp/nav/PathFinder.cpp at
v0.3.3) that a server must cope with. It has islands, as real navmeshes do: the floor (with the stage
stepped onto, 8 cm up) and the table top, each shrunk by the agent radius (habitat bakes the radius
into the navmesh the same way). Island 0 is the table, so "island 0" is not the largest."""
import heapq
import itertools
from dataclasses import dataclass, field

import numpy as np

from . import room

_EPS = 1e-4
# PathFinder.cpp projectToPoly: the half-size of the box searched for the nearest polygon.
_POLY_PICK_EXTENT = np.array([2.0, 4.0, 2.0])
# PathFinder.cpp Impl::seed calls the C library's srand() and sampling uses rand(): one generator
# for the whole process, shared by every PathFinder.
_rand = np.random.default_rng(0)


def _srand(seed):
    global _rand
    _rand = np.random.default_rng(seed)


class NavMeshSettings:
    def __init__(self):
        self.set_defaults()

    def set_defaults(self):
        self.agent_radius = 0.1
        self.agent_height = 1.5
        self.agent_max_climb = 0.2


class ShortestPath:
    def __init__(self):
        self.requested_start = np.zeros(3)
        self.requested_end = np.zeros(3)
        self.points = []
        self.geodesic_distance = float("inf")


@dataclass
class HitRecord:
    hit_pos: np.ndarray = field(default_factory=lambda: np.zeros(3))
    hit_normal: np.ndarray = field(default_factory=lambda: np.zeros(3))
    hit_dist: float = float("inf")


@dataclass(frozen=True)
class _Island:
    lo: np.ndarray  # x, z
    hi: np.ndarray
    boxes: tuple  # obstacles: ((lo_xz, hi_xz), ...)
    top: float = None  # a flat top's height; None: the floor (room.floor_height)

    def height(self, p):
        return self.top if self.top is not None else room.floor_height(p[0], p[1])

    def free(self, p):
        return bool(np.all(p >= self.lo) and np.all(p <= self.hi)
                    and not any(np.all(p > blo) and np.all(p < bhi) for blo, bhi in self.boxes))

    def area(self):
        blocked = 0.0
        for blo, bhi in self.boxes:
            size = np.minimum(bhi, self.hi) - np.maximum(blo, self.lo)
            blocked += max(size[0], 0) * max(size[1], 0)
        return float(np.prod(self.hi - self.lo) - blocked)

    def nearest(self, p):
        """The island's nearest point to p (x, z)."""
        q = np.clip(p, self.lo + _EPS, self.hi - _EPS)
        for blo, bhi in self.boxes:
            if np.all(q > blo) and np.all(q < bhi):
                exits = [(q[0] - blo[0], (blo[0] - _EPS, q[1])), (bhi[0] - q[0], (bhi[0] + _EPS, q[1])),
                         (q[1] - blo[1], (q[0], blo[1] - _EPS)), (bhi[1] - q[1], (q[0], bhi[1] + _EPS))]
                q = np.array(min(exits)[1])
        return q

    def wall(self, p):
        """(distance, point) of the island's nearest boundary to p (x, z), p on the island."""
        candidates = [(p[0] - self.lo[0], (self.lo[0], p[1])), (self.hi[0] - p[0], (self.hi[0], p[1])),
                      (p[1] - self.lo[1], (p[0], self.lo[1])), (self.hi[1] - p[1], (p[0], self.hi[1]))]
        for blo, bhi in self.boxes:
            q = np.clip(p, blo, bhi)
            candidates.append((float(np.linalg.norm(q - p)), tuple(q)))
        d, q = min(candidates, key=lambda c: c[0])
        return float(d), np.array(q)


class PathFinder:
    def __init__(self):
        self._islands = None

    @property
    def is_loaded(self):
        return self._islands is not None

    def load_nav_mesh(self, path):
        """A .navmesh file; one that says `empty` loads a navmesh without polygons."""
        with open(path, "rb") as f:
            empty = f.read().strip() == b"empty"
        self._islands = [] if empty else self._make_islands(NavMeshSettings().agent_radius)
        return True

    def build(self, settings):
        self._islands = self._make_islands(settings.agent_radius)
        return True

    @staticmethod
    def _make_islands(r):
        boxes = tuple((lo[[0, 2]] - r, hi[[0, 2]] + r) for lo, hi in room.BOXES)
        table_lo, table_hi = room.TABLE
        return [_Island(table_lo[[0, 2]] + r, table_hi[[0, 2]] - r, (), float(table_hi[1])),
                _Island(room.ROOM_MIN[[0, 2]] + r, room.ROOM_MAX[[0, 2]] - r, boxes)]

    def seed(self, new_seed):
        _srand(new_seed)

    @property
    def num_islands(self):
        return len(self._islands or [])

    def island_area(self, island_index=-1):
        islands = self._islands or []
        return float(sum(i.area() for i in islands)) if island_index == -1 else islands[island_index].area()

    @property
    def navigable_area(self):
        return self.island_area(-1)

    def island_radius(self, island_index):
        island = self._islands[island_index]
        return float(np.linalg.norm(island.hi - island.lo) / 2)

    def get_island(self, point):
        found = self._project(point)
        return found[0] if found else -1

    def get_bounds(self):
        if not self._islands:
            return np.zeros(3), np.zeros(3)
        lo = np.min([i.lo for i in self._islands], axis=0)
        hi = np.max([i.hi for i in self._islands], axis=0)
        top = max(i.top or room.STAGE[1][1] for i in self._islands)
        return np.array([lo[0], 0.0, lo[1]]), np.array([hi[0], top, hi[1]])

    def get_random_navigable_point(self, max_tries=10, island_index=-1):
        # PathFinder.cpp ~1240: no area is an exception, not a NaN.
        if not self.is_loaded or self.island_area(island_index) <= 0:
            raise RuntimeError("NavMesh has no navigable area, this indicates an issue with the NavMesh")
        indices = range(len(self._islands)) if island_index == -1 else [island_index]
        areas = np.array([self._islands[i].area() for i in indices])
        for _ in range(max_tries * 100):
            # Detour's findRandomPoint: a polygon by area, then a point in it, all from rand().
            i = list(indices)[int(np.searchsorted(np.cumsum(areas) / areas.sum(), _rand.random()))]
            island = self._islands[i]
            p = island.lo + (island.hi - island.lo) * _rand.random(2)
            if island.free(p):
                return self._point(island, p)
        return np.full(3, np.nan, dtype=np.float32)

    def is_navigable(self, pt, max_y_delta=0.5):
        found = self._project(pt)
        if not found:
            return False
        _, q = found
        return abs(q[1] - pt[1]) <= max_y_delta and np.linalg.norm(q[[0, 2]] - np.asarray(pt, dtype=float)[[0, 2]]) <= 1e-2

    def snap_point(self, point, island_index=-1):
        found = self._project(point, island_index)
        return found[1].astype(np.float32) if found else np.full(3, np.nan, dtype=np.float32)

    def closest_obstacle_surface_point(self, pt, max_search_radius=2.0):
        found = self._project(pt)
        if not found:  # PathFinder.cpp ~1730
            return HitRecord()
        index, q = found
        distance, wall = self._islands[index].wall(q[[0, 2]])
        if distance > max_search_radius:
            return HitRecord(q.copy(), np.zeros(3), float(max_search_radius))
        hit = np.array([wall[0], q[1], wall[1]])
        away = q - hit
        norm = np.linalg.norm(away)
        return HitRecord(hit, away / norm if norm > 0 else np.zeros(3), distance)

    def distance_to_closest_obstacle(self, pt, max_search_radius=2.0):
        return self.closest_obstacle_surface_point(pt, max_search_radius).hit_dist

    def try_step_no_sliding(self, start, end):
        return self._try_step(start, end, sliding=False)

    def try_step(self, start, end):
        return self._try_step(start, end, sliding=True)

    def _try_step(self, start, end, sliding):
        start, end = np.asarray(start, dtype=float), np.asarray(end, dtype=float)
        # PathFinder.cpp ~1576-1592: an end with no polygon near it, or on another island, and the
        # step does not happen at all: the start comes back unchanged.
        from_start, to_end = self._project(start), self._project(end)
        if not from_start or not to_end or from_start[0] != to_end[0]:
            return start.astype(np.float32)
        island = self._islands[from_start[0]]
        s = from_start[1][[0, 2]]
        stop, axis = self._advance(island, s, end[[0, 2]])
        if sliding and axis is not None:
            rest = end[[0, 2]] - stop
            rest[axis] = 0.0  # slide along the wall that stopped the move
            stop = self._advance(island, stop, stop + rest)[0]
        return self._point(island, stop)

    def find_path(self, path):
        path.points, path.geodesic_distance = [], float("inf")
        start, end = self._project(path.requested_start), self._project(path.requested_end)
        if not start or not end or start[0] != end[0]:
            return False
        island = self._islands[start[0]]
        a, b = start[1][[0, 2]], end[1][[0, 2]]
        corners = [np.array(c) for blo, bhi in island.boxes
                   for c in itertools.product((blo[0] - 2 * _EPS, bhi[0] + 2 * _EPS), (blo[1] - 2 * _EPS, bhi[1] + 2 * _EPS))]
        nodes = [a, b] + [c for c in corners if island.free(c)]
        # Dijkstra over the visibility graph: exact for polygonal obstacles.
        best, previous, queue = {0: 0.0}, {}, [(0.0, 0)]
        while queue:
            cost, i = heapq.heappop(queue)
            if i == 1 or cost > best[i]:
                continue
            for j, node in enumerate(nodes):
                if j != i and self._visible(island, nodes[i], node):
                    c = cost + float(np.linalg.norm(node - nodes[i]))
                    if c < best.get(j, np.inf):
                        best[j], previous[j] = c, i
                        heapq.heappush(queue, (c, j))
        if 1 not in best:
            return False
        order = [1]
        while order[-1] != 0:
            order.append(previous[order[-1]])
        path.points = [self._point(island, nodes[k]) for k in reversed(order)]
        path.geodesic_distance = best[1]
        return True

    def _point(self, island, p):
        return np.array([p[0], island.height(p), p[1]], dtype=np.float32)

    def _project(self, point, island_index=-1):
        """PathFinder.cpp projectToPoly: (island, nearest navmesh point) within the pick box, or None."""
        if not self._islands:
            return None
        p = np.asarray(point, dtype=float).reshape(3)
        if not np.all(np.isfinite(p)):
            return None
        best = None
        for index, island in enumerate(self._islands):
            if island_index not in (-1, index):
                continue
            q = self._point(island, island.nearest(p[[0, 2]])).astype(float)
            if np.all(np.abs(q - p) <= _POLY_PICK_EXTENT):
                d = float(np.linalg.norm(q - p))
                if best is None or d < best[0]:
                    best = (d, index, q)
        return best and best[1:]

    @staticmethod
    def _advance(island, s, e):
        """The last free point (x, z) on the segment and the world axis (0 or 1 of x, z) of what stopped it."""
        d = e - s
        if not island.free(s):
            return s, None
        stop, axis = 1.0, None
        safe = np.where(np.abs(d) < 1e-12, np.copysign(1e-12, d), d)
        for k in range(2):
            if abs(d[k]) < 1e-12:
                continue
            t = ((island.hi[k] if d[k] > 0 else island.lo[k]) - s[k]) / d[k]
            if t < stop:
                stop, axis = t, k
        for blo, bhi in island.boxes:
            t1, t2 = (blo - s) / safe, (bhi - s) / safe
            near = np.minimum(t1, t2)
            if near.max() < np.maximum(t1, t2).min() and 0 <= near.max() < stop:
                stop, axis = near.max(), int(np.argmax(near))
        stop = max(stop - _EPS / max(np.linalg.norm(d), 1e-12), 0.0) if axis is not None else 1.0
        return s + d * stop, axis

    @staticmethod
    def _visible(island, a, b):
        d = np.where(np.abs(b - a) < 1e-12, np.copysign(1e-12, b - a), b - a)
        for blo, bhi in island.boxes:
            t1, t2 = (blo - a) / d, (bhi - a) / d
            near, far = np.minimum(t1, t2).max(), np.maximum(t1, t2).min()
            if max(near, 0) < min(far, 1) - 1e-9:
                return False
        return True
