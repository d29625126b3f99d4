"""The server process's one habitat-sim Simulator, and every call into it. Call only on the habitat
thread (service.py): habitat's GL context belongs to the thread that made it.

Why one: a second Simulator in a process finds the first one's GL context current and makes none of
its own, and closing the first destroys it (habitat-sim src/esp/sim/Simulator.cpp ~91, ~176).
Scenes switch by reconfiguring the scene. Sensors are rebuilt only when the render targets must
change (size, hfov, the set of sensors), and then by closing and re-making the Simulator: its
reconfigure ignores size and hfov (sensor equality, src/esp/sensor/Sensor.cpp ~15-18) and leaks the
old sensors on every rebuild (src_python/habitat_sim/simulator.py ~216-255). Sensors sit at the agent's
origin and every render places them, so a camera height or baseline needs no rebuild."""
import habitat_sim
import numpy as np

AGENT_RADIUS_M = 0.1  # habitat's default agent
AGENT_HEIGHT_M = 1.5
MOVE_STEP_M = 0.25
TURN_STEP_DEG = 10.0


class NoFloor(Exception):
    """The scene has no navmesh polygons to stand on."""


class Habitat:
    def __init__(self, dataset_config):
        self.dataset_config = dataset_config
        self.sim = None
        self.agent = None
        self.scene = None
        self.sensors = None  # (width, height, hfov, uuids) the Simulator was made with
        self.island = None  # the navmesh's largest island, or None without a floor
        self.navmesh_error = ""

    def show(self, scene, rig, keep_sensors=False):
        """Loads `scene` (a habitat scene id) with sensors for `rig`; with `keep_sensors`, a Simulator
        that exists keeps the sensors it has (a new session's default rig is seldom the one it renders)."""
        if self.sim is not None and not keep_sensors and rig.sensor_key() != self.sensors:
            self.close()
        try:
            if self.sim is None:
                self.sim = habitat_sim.Simulator(self._configuration(scene, rig.sensor_specifications()))
                self.sensors = rig.sensor_key()
            elif scene != self.scene:
                # The same agent configuration, so that only the scene differs.
                self.sim.reconfigure(self._configuration(scene, self.sim.config.agents[0].sensor_specifications))
            else:
                return
        except BaseException:
            self.close()  # half-loaded: make it afresh next time
            raise
        self.scene = scene
        self.agent = self.sim.get_agent(0)
        self._ensure_navmesh()

    def _configuration(self, scene, sensor_specifications):
        sim_cfg = habitat_sim.SimulatorConfiguration()
        sim_cfg.scene_id = scene
        sim_cfg.scene_dataset_config_file = self.dataset_config
        sim_cfg.enable_physics = False
        sim_cfg.load_semantic_mesh = False  # on by default; the server renders no semantics
        agent_cfg = habitat_sim.agent.AgentConfiguration()
        agent_cfg.radius = AGENT_RADIUS_M
        agent_cfg.height = AGENT_HEIGHT_M
        agent_cfg.sensor_specifications = sensor_specifications
        agent_cfg.action_space = {name: habitat_sim.agent.ActionSpec(name, habitat_sim.agent.ActuationSpec(amount=amount))
                                  for name, amount in (("move_forward", MOVE_STEP_M), ("turn_left", TURN_STEP_DEG),
                                                       ("turn_right", TURN_STEP_DEG))}
        return habitat_sim.Configuration(sim_cfg, [agent_cfg])

    def _ensure_navmesh(self):
        """A scene reload brings a fresh PathFinder with only a shipped .navmesh (Simulator.cpp
        createSceneInstance); compute one when there is none."""
        pathfinder = self.sim.pathfinder
        self.navmesh_error = ""
        if not pathfinder.is_loaded:
            settings = habitat_sim.NavMeshSettings()
            settings.set_defaults()
            settings.agent_radius = AGENT_RADIUS_M
            settings.agent_height = AGENT_HEIGHT_M
            try:
                if not self.sim.recompute_navmesh(pathfinder, settings):
                    self.navmesh_error = "habitat could not build a navmesh for it"
            except RuntimeError as e:  # ESP_CHECK, Simulator.cpp ~937-941: e.g. a scene without geometry
                self.navmesh_error = str(e).strip().splitlines()[0] if str(e).strip() else "navmesh computation failed"
        # Real navmeshes have many islands (furniture tops): trajectories keep to the largest.
        areas = [pathfinder.island_area(i) for i in range(pathfinder.num_islands)] if pathfinder.is_loaded else []
        self.island = int(np.argmax(areas)) if areas and max(areas) > 0 else None

    @property
    def pathfinder(self):
        return self.sim.pathfinder

    def sample(self, seed):
        """A random point of the largest island, drawn right after seeding: PathFinder.seed is the C
        library's srand() for the whole process (PathFinder.cpp ~1226-1235), so the seed and the draw
        must not be parted by anyone else's draw."""
        if self.island is None:
            raise NoFloor(self.navmesh_error)
        pathfinder = self.sim.pathfinder
        pathfinder.seed(int(seed) % 2 ** 31)
        try:
            point = np.asarray(pathfinder.get_random_navigable_point(island_index=self.island), dtype=float).reshape(3)
        except RuntimeError as e:  # PathFinder.cpp ~1240: no navigable area
            raise NoFloor(str(e)) from e
        if not np.all(np.isfinite(point)):
            raise NoFloor("habitat found no navigable point in 10 tries")
        return point

    def observe(self):
        return self.sim.get_sensor_observations()

    def act(self, action):
        """The body action without rendering (Simulator.step would render every sensor and we would
        throw the images away); True when the navmesh shortened the move."""
        return bool(self.agent.act(action))

    def close(self):
        if self.sim is not None:
            self.sim.close()
        self.sim = self.agent = self.scene = self.sensors = None
        self.island = None
