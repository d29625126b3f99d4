"""Camera trajectories on habitat-sim's navmesh, planned lazily so streaming starts at once: walks
along shortest paths between random navigable points, and the failures curation must learn to
reject. Same shapes as the embedded server's planner (src/SimServer/Navigation/TrajectoryPlanner.cs)."""
import math
from dataclasses import dataclass

import habitat_sim
import numpy as np

from habitat_host import NoFloor

DIRECTIONS = 36
MAX_TURN_PER_FRAME = math.pi / 12
STARE_MAX_DEPTH_M = 0.3
WALL_SEARCH_M = 5.0
# try_step_no_sliding returns the start unchanged when the end has no navmesh polygon within 2 m
# (PathFinder.cpp projectToPoly, ~128-148): free space is measured in steps shorter than that.
PROBE_STEP_M = 0.5
PROBE_REACH_M = 10.0
# object_controls.py ~19, ~80-87: habitat's collision test, squared distances with this slack.
COLLISION_EPS = 1e-5


class PlanningError(Exception):
    """The scene cannot give the trajectory asked for (no floor, no wall in reach)."""


@dataclass(frozen=True)
class Settings:
    mode: str  # navigate | walk_into_wall | stare_at_wall | look_into_void
    seed: int
    frame_count: int
    step_m: float = 0.1
    yaw_jitter_deg: float = 3.0
    pitch_jitter_deg: float = 3.0
    height_jitter_m: float = 0.03


@dataclass(frozen=True)
class Frame:
    position: np.ndarray  # the agent's floor point
    yaw: float
    pitch: float
    collided: bool
    yaw_jitter: float = 0.0
    pitch_jitter: float = 0.0
    height_jitter: float = 0.0


def heading(yaw):
    return np.array([-math.sin(yaw), 0.0, -math.cos(yaw)])


def collided(start, intended, reached):
    """habitat's own test (object_controls.py ~80-87): the move came up short. A stair or a slope
    moves the agent by more than intended, not less."""
    moved, wanted = np.asarray(reached) - start, np.asarray(intended) - start
    return float(moved @ moved) + COLLISION_EPS < float(wanted @ wanted)


class Planner:
    """`habitat` is habitat_host.Habitat; `probe_depth(position, yaw, pitch)` renders the left depth
    there: how wall-staring and void views are found, since habitat-sim's ray casts need physics.
    Every random choice comes from the sequence's own generator, so its seed gives its trajectory
    whatever else runs on the server."""

    def __init__(self, habitat, probe_depth):
        self.habitat = habitat
        self.probe_depth = probe_depth
        self.rng = None

    @property
    def pathfinder(self):
        return self.habitat.pathfinder

    def plan(self, s):
        rng = self.rng = np.random.default_rng(s.seed)
        walks = {"navigate": self._navigate, "walk_into_wall": self._walk_into_wall,
                 "stare_at_wall": self._stare_at_wall, "look_into_void": self._look_into_void}
        jitter = Jitter(rng, s)
        frames = walks[s.mode](rng, s.step_m)
        for _ in range(s.frame_count):
            yield jitter.next(next(frames))

    def _start(self):
        try:
            return self.habitat.sample(self.rng.integers(2 ** 31))
        except NoFloor as e:
            raise PlanningError(f"the scene has no navigable floor: trajectories need a navmesh ({e})") from e

    def _path(self, start, end):
        path = habitat_sim.ShortestPath()
        path.requested_start = start
        path.requested_end = end
        if not self.pathfinder.find_path(path):
            return None, 0.0
        return [np.asarray(p, dtype=float).reshape(3) for p in path.points], path.geodesic_distance

    def _free_distance(self, start, yaw):
        """How far the navmesh lets the agent walk along `yaw`, in short steps."""
        position, walked = np.asarray(start, dtype=float), 0.0
        while walked < PROBE_REACH_M:
            target = position + heading(yaw) * PROBE_STEP_M
            stop = np.asarray(self.pathfinder.try_step_no_sliding(position, target), dtype=float)
            step = float(np.linalg.norm((stop - position)[[0, 2]]))
            walked += step
            if step < PROBE_STEP_M - 1e-3:
                break
            position = stop
        return walked

    def _navigate(self, rng, step):
        position, yaw = self._start(), rng.random() * 2 * math.pi
        while True:
            points, length = None, 0.0
            for _ in range(20):
                points, length = self._path(position, self._start())
                if points and length > 1.0:
                    break
            if not points or length <= 1.0:
                raise PlanningError("no path longer than 1 m found from the start point: the navigable floor is too small")
            position = points[0]
            for waypoint in points[1:]:
                while np.linalg.norm(waypoint - position) > 1e-3:
                    to_waypoint = waypoint - position
                    turn = math.remainder(math.atan2(-to_waypoint[0], -to_waypoint[2]) - yaw, 2 * math.pi)
                    yaw += max(-MAX_TURN_PER_FRAME, min(MAX_TURN_PER_FRAME, turn))
                    # Turn in place first when the corner is sharp, as a person would.
                    advance = 0.0 if abs(turn) > math.pi / 3 else min(step, float(np.linalg.norm(to_waypoint)))
                    position = position + to_waypoint / np.linalg.norm(to_waypoint) * advance
                    yield Frame(position, yaw, 0.0, False)

    def _nearest_wall(self, start):
        """(yaw facing the nearest navmesh edge, the edge point), or None with no edge in reach."""
        hit = self.pathfinder.closest_obstacle_surface_point(start, WALL_SEARCH_M)
        if not math.isfinite(hit.hit_dist) or hit.hit_dist >= WALL_SEARCH_M:
            return None
        toward = (np.asarray(hit.hit_pos, dtype=float) - start)[[0, 2]]
        if np.linalg.norm(toward) < 1e-6:  # standing on the edge: face against its normal
            toward = -np.asarray(hit.hit_normal, dtype=float)[[0, 2]]
        return math.atan2(-toward[0], -toward[1]), np.asarray(hit.hit_pos, dtype=float)

    def _walk_into_wall(self, rng, step):
        for _ in range(50):
            position = self._start()
            wall = self._nearest_wall(position)
            if wall is not None:
                break
        else:
            raise PlanningError(f"no navmesh edge within {WALL_SEARCH_M} m of 50 random points")
        yaw, hit = wall[0], False
        while True:
            yield Frame(position, yaw, 0.0, hit)
            # habitat's move filter: the navmesh stops the move short at the wall.
            target = position + heading(yaw) * step
            stop = np.asarray(self.pathfinder.try_step_no_sliding(position, target), dtype=float)
            hit = collided(position, target, stop)
            position = stop

    def _stare_at_wall(self, rng, step):
        for _ in range(50):
            wall = self._nearest_wall(self._start())
            if wall is None:
                continue
            yaw, at_wall = wall
            # The navmesh edge may be a drop or a railing rather than a wall: check the view.
            depth = self.probe_depth(at_wall, yaw, 0.0)
            seen = depth[depth > 0]
            if seen.size > depth.size / 2 and np.median(seen) < STARE_MAX_DEPTH_M:
                while True:
                    yield Frame(at_wall, yaw, 0.0, False)
        raise PlanningError(f"no wall within {STARE_MAX_DEPTH_M} m of the navmesh edge at 50 random points")

    def _look_into_void(self, rng, step):
        """Best effort: the view with the most void (depth 0) among a few points, yaws and pitches.
        Closed scans (MP3D, HM3D) seldom have any; then the camera looks up and out of the most
        open direction, which sees holes in the ceiling if there are any."""
        best = (-1.0, None)
        for _ in range(4):
            start = self._start()
            for i in range(12):
                yaw = 2 * math.pi * i / 12
                for pitch in (0.0, 0.5):
                    void = float(np.mean(self.probe_depth(start, yaw, pitch) == 0))
                    if void > best[0]:
                        best = (void, (start, yaw, pitch))
            if best[0] > 0.3:
                break
        void, (position, yaw, pitch) = best
        if void == 0:
            yaw = max((2 * math.pi * i / DIRECTIONS for i in range(DIRECTIONS)), key=lambda y: self._free_distance(position, y))
            pitch = 1.0
        frame = 0
        while True:
            yield Frame(position, yaw + 0.2 * math.sin(frame * 0.1), pitch, False)
            frame += 1


class Jitter:
    """Smooth (AR(1)) yaw, pitch and height jitter with the requested standard deviations."""
    KEEP = 0.8

    def __init__(self, rng, s):
        self.rng, self.s = rng, s
        self.yaw = self.pitch = self.height = 0.0

    def next(self, frame):
        innovation = math.sqrt(1 - self.KEEP ** 2)
        g = self.rng.standard_normal(3) * innovation
        self.yaw = self.KEEP * self.yaw + g[0] * math.radians(self.s.yaw_jitter_deg)
        self.pitch = self.KEEP * self.pitch + g[1] * math.radians(self.s.pitch_jitter_deg)
        self.height = self.KEEP * self.height + g[2] * self.s.height_jitter_m
        return Frame(frame.position, frame.yaw, frame.pitch, frame.collided, self.yaw, self.pitch, self.height)
