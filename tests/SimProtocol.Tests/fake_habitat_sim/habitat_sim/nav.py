"""The room's navmesh: its floor rectangle minus the obstacles, both shrunk by the agent radius
(habitat bakes the radius into the navmesh the same way)."""
import heapq
import itertools

import numpy as np

from . import room

_EPS = 1e-4


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


class PathFinder:
    def __init__(self):
        self._radius = None
        self._rng = np.random.default_rng()

    @property
    def is_loaded(self):
        return self._radius is not None

    def load_nav_mesh(self, path):
        self._radius = NavMeshSettings().agent_radius
        return True

    def build(self, settings):
        self._radius = settings.agent_radius
        return True

    def seed(self, new_seed):
        self._rng = np.random.default_rng(new_seed)

    def get_bounds(self):
        lo, hi = self._rect()
        return np.array([lo[0], 0.0, lo[1]]), np.array([hi[0], 0.0, hi[1]])

    @property
    def navigable_area(self):
        if not self.is_loaded:
            return 0.0
        lo, hi = self._rect()
        blocked = 0.0
        for blo, bhi in self._boxes():
            size = np.minimum(bhi, hi) - np.maximum(blo, lo)
            blocked += max(size[0], 0) * max(size[1], 0)
        return float(np.prod(hi - lo) - blocked)

    def get_random_navigable_point(self, max_tries=10, island_index=-1):
        if self.is_loaded:
            lo, hi = self._rect()
            for _ in range(max_tries * 100):
                p = lo + (hi - lo) * self._rng.random(2)
                if self._free(p):
                    return np.array([p[0], 0.0, p[1]], dtype=np.float32)
        return np.full(3, np.nan, dtype=np.float32)

    def is_navigable(self, pt, max_y_delta=0.5):
        pt = np.asarray(pt, dtype=float)
        return self.is_loaded and abs(pt[1]) <= max_y_delta and self._free(pt[[0, 2]])

    def snap_point(self, pt):
        if not self.is_loaded:
            return np.full(3, np.nan, dtype=np.float32)
        lo, hi = self._rect()
        p = np.clip(np.asarray(pt, dtype=float)[[0, 2]], lo + _EPS, hi - _EPS)
        for blo, bhi in self._boxes():
            if np.all(p > blo) and np.all(p < bhi):
                exits = [(p[0] - blo[0], (blo[0] - _EPS, p[1])), (bhi[0] - p[0], (bhi[0] + _EPS, p[1])),
                         (p[1] - blo[1], (p[0], blo[1] - _EPS)), (bhi[1] - p[1], (p[0], bhi[1] + _EPS))]
                p = np.array(min(exits)[1])
        return np.array([p[0], 0.0, p[1]], dtype=np.float32)

    def distance_to_closest_obstacle(self, pt, max_search_radius=2.0):
        p = np.asarray(pt, dtype=float)[[0, 2]]
        lo, hi = self._rect()
        distances = [*(p - lo), *(hi - p)]
        for blo, bhi in self._boxes():
            distances.append(np.linalg.norm(np.maximum(np.maximum(blo - p, p - bhi), 0)))
        return float(min(min(distances), max_search_radius))

    def try_step_no_sliding(self, start, end):
        return self._advance(np.asarray(start, dtype=float), np.asarray(end, dtype=float))[0]

    def try_step(self, start, end):
        start, end = np.asarray(start, dtype=float), np.asarray(end, dtype=float)
        stop, axis = self._advance(start, end)
        if axis is None:
            return stop
        rest = end - stop
        rest[axis] = 0.0  # slide along the wall that stopped the move
        return self._advance(stop, stop + rest)[0]

    def find_path(self, path):
        path.points, path.geodesic_distance = [], float("inf")
        if not self.is_loaded:
            return False
        start = self.snap_point(path.requested_start)[[0, 2]]
        end = self.snap_point(path.requested_end)[[0, 2]]
        lo, hi = self._rect()
        corners = [np.array(c) for blo, bhi in self._boxes()
                   for c in itertools.product((blo[0] - 2 * _EPS, bhi[0] + 2 * _EPS), (blo[1] - 2 * _EPS, bhi[1] + 2 * _EPS))]
        nodes = [start, end] + [c for c in corners if np.all(c > lo) and np.all(c < hi) and self._free(c)]
        # Dijkstra over the visibility graph: exact for polygonal obstacles.
        best, previous, queue = {0: 0.0}, {}, [(0.0, 0)]
        while queue:
            cost, i = heapq.heappop(queue)
            if i == 1 or cost > best[i]:
                continue
            for j, node in enumerate(nodes):
                if j != i and self._visible(nodes[i], node):
                    c = cost + float(np.linalg.norm(node - nodes[i]))
                    if c < best.get(j, np.inf):
                        best[j], previous[j] = c, i
                        heapq.heappush(queue, (c, j))
        if 1 not in best:
            return False
        order = [1]
        while order[-1] != 0:
            order.append(previous[order[-1]])
        path.points = [np.array([nodes[k][0], 0.0, nodes[k][1]], dtype=np.float32) for k in reversed(order)]
        path.geodesic_distance = best[1]
        return True

    def _rect(self):
        r = self._radius or 0.0
        return room.ROOM_MIN[[0, 2]] + r, room.ROOM_MAX[[0, 2]] - r

    def _boxes(self):
        r = self._radius or 0.0
        return [(lo[[0, 2]] - r, hi[[0, 2]] + r) for lo, hi in room.BOXES]

    def _free(self, p):
        lo, hi = self._rect()
        return bool(np.all(p >= lo) and np.all(p <= hi)
                    and not any(np.all(p > blo) and np.all(p < bhi) for blo, bhi in self._boxes()))

    def _advance(self, start, end):
        """The last free point on the segment and the world axis (0 or 2) of what stopped it."""
        s, d = start[[0, 2]], (end - start)[[0, 2]]
        if not self.is_loaded or not self._free(s):
            return start, None
        lo, hi = self._rect()
        stop, axis = 1.0, None
        safe = np.where(np.abs(d) < 1e-12, np.copysign(1e-12, d), d)
        for k in range(2):
            if abs(d[k]) < 1e-12:
                continue
            t = ((hi[k] if d[k] > 0 else lo[k]) - s[k]) / d[k]
            if t < stop:
                stop, axis = t, 2 * k
        for blo, bhi in self._boxes():
            t1, t2 = (blo - s) / safe, (bhi - s) / safe
            near = np.minimum(t1, t2)
            if near.max() < np.maximum(t1, t2).min() and 0 <= near.max() < stop:
                stop, axis = near.max(), 2 * int(np.argmax(near))
        stop = max(stop - _EPS / max(np.linalg.norm(d), 1e-12), 0.0) if axis is not None else 1.0
        point = start + (end - start) * stop
        point[1] = start[1]
        return point, axis

    def _visible(self, a, b):
        d = np.where(np.abs(b - a) < 1e-12, np.copysign(1e-12, b - a), b - a)
        for blo, bhi in self._boxes():
            t1, t2 = (blo - a) / d, (bhi - a) / d
            near, far = np.minimum(t1, t2).max(), np.maximum(t1, t2).min()
            if max(near, 0) < min(far, 1) - 1e-9:
                return False
        return True
