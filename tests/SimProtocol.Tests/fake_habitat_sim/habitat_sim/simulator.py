"""habitat_sim.Simulator as strict as the real one (src_python/habitat_sim/simulator.py and
src/esp/sim/Simulator.cpp at v0.3.3) about what a server can get wrong: one per process, reconfigure
that rebuilds only on a config that compares different, a rebuild that leaks the old sensors, a scene
reload that drops a computed navmesh, and a failed GL context that ends the process."""
import os
import sys
from dataclasses import dataclass, field
from typing import List

from . import events, metadata, room
from .agent import Agent, AgentConfiguration
from .nav import PathFinder, _srand
from .quaternion import from_coeffs
from .sensor import SensorType

# Simulator.cpp ~176: a second Simulator finds the first one's GL context current and makes none of
# its own; closing the owner (~91) destroys it under the other. The fake refuses the second outright.
_live = []


@dataclass
class SimulatorConfiguration:
    scene_id: str = ""
    scene_dataset_config_file: str = "default"
    enable_physics: bool = False
    allow_sliding: bool = True
    random_seed: int = 0
    gpu_device_id: int = 0
    create_renderer: bool = False
    requires_textures: bool = True
    load_semantic_mesh: bool = True  # SimulatorConfiguration.h: true unless turned off


@dataclass
class Configuration:
    sim_cfg: SimulatorConfiguration
    agents: List[AgentConfiguration] = field(default_factory=list)


def _sanitize_config(config):
    """simulator.py ~92-113: the renderer and textures follow the sensors asked for."""
    specs = [s for a in config.agents for s in a.sensor_specifications]
    config.sim_cfg.create_renderer = bool(specs)
    config.sim_cfg.load_semantic_mesh |= any(s.sensor_type == SensorType.SEMANTIC for s in specs)
    config.sim_cfg.requires_textures = any(s.sensor_type == SensorType.COLOR for s in specs)


class Simulator:
    def __init__(self, config):
        if _live:
            raise RuntimeError("fake habitat_sim: a second Simulator in one process; real habitat-sim would share and then "
                               "destroy the first one's GL context (src/esp/sim/Simulator.cpp ~91, ~176)")
        self.config = None
        self._backend_cfg = None
        self._requires_textures = None
        self._scene_graph = []  # every agent ever made: simulator.py ~216-220 never removes old ones
        self.pathfinder = PathFinder()
        _sanitize_config(config)
        if config.sim_cfg.create_renderer:
            self._make_context()
        _live.append(self)
        events.record("simulator")
        self._set_from_config(config)
        self.config = config

    @staticmethod
    def _make_context():
        # src/esp/gfx/WindowlessContext.cpp ~58-66: Mn::Fatal prints and exits the process, nothing to catch.
        if os.environ.get("FAKE_HABITAT_SIM_EGL") == "fail":
            sys.stderr.write("Platform::WindowlessEglApplication::tryCreateContext(): unable to find CUDA device 0 among 2 EGL devices in total\n"
                             "WindowlessContext: Unable to create windowless context\n")
            sys.stderr.flush()
            os._exit(1)

    def reconfigure(self, config):
        # simulator.py ~233: only a config that compares different does anything.
        _sanitize_config(config)
        if self.config != config:
            self._set_from_config(config)
            self.config = config

    def _set_from_config(self, config):
        """simulator.py __set_from_config ~248-255: the backend, then new agents with new sensors."""
        cfg = config.sim_cfg
        if cfg != self._backend_cfg:
            # Simulator.cpp reconfigure ~160-175: textures cannot be switched on without close().
            if self._requires_textures is None:
                self._requires_textures = cfg.requires_textures
            elif cfg.requires_textures and not self._requires_textures:
                raise RuntimeError("requiresTextures was changed to True from False.  Must call close() before changing this value.")
            self._load_scene(cfg)
            self._backend_cfg = SimulatorConfiguration(**vars(cfg))
        self.agents = [Agent(a, self.step_filter) for a in config.agents]
        self._scene_graph += self.agents
        _srand(cfg.random_seed)

    def _load_scene(self, cfg):
        """Simulator.cpp createSceneInstance ~230-260: a new PathFinder holding only a navmesh file's."""
        scene = cfg.scene_id
        self.pathfinder = PathFinder()
        if scene == "NONE":  # habitat's empty scene
            self._empty = True
            return
        handle = metadata.MetadataMediator(cfg).find(scene)
        path = handle or (scene if os.path.isfile(scene) else None)
        if path is None:
            raise RuntimeError(f"Could not find scene '{scene}'")
        with open(path, "rb") as f:
            self._empty = f.read().strip() == b"empty"  # a scene without geometry
        navmesh = os.path.splitext(path)[0] + ".navmesh"
        if os.path.isfile(navmesh):
            self.pathfinder.load_nav_mesh(navmesh)
        # StageAttributesManager.cpp ~262-266: a bare .glb is taken as Matterport3D, z up.
        up = "z" if handle is None and path.endswith(".glb") else "y"
        events.record(f"scene {os.path.basename(path)} {up}-up")
        semantic = os.path.splitext(path)[0] + "_semantic.ply"
        if cfg.load_semantic_mesh and os.path.isfile(semantic):
            events.record(f"semantic_mesh {os.path.basename(semantic)}")

    def step_filter(self, start_pos, end_pos):
        """simulator.py ~523-536."""
        if self.pathfinder.is_loaded:
            if self.config.sim_cfg.allow_sliding:
                return self.pathfinder.try_step(start_pos, end_pos)
            return self.pathfinder.try_step_no_sliding(start_pos, end_pos)
        return end_pos

    def recompute_navmesh(self, pathfinder, navmesh_settings):
        if self._empty:
            # Simulator.cpp ~937-941: ESP_CHECK raises (std::runtime_error, RuntimeError in Python).
            raise RuntimeError("::recomputeNavMesh: Unable to compute a navmesh upon a non-existent mesh - the underlying "
                               "joined collision mesh has no vertices.")
        return pathfinder.build(navmesh_settings)

    def seed(self, new_seed):
        self.pathfinder.seed(new_seed)

    def get_agent(self, agent_id=0):
        return self.agents[agent_id]

    def initialize_agent(self, agent_id, initial_state=None):
        agent = self.get_agent(agent_id)
        if initial_state is not None:
            agent.set_state(initial_state, is_initial=True)
        return agent

    def step(self, action, dt=1.0 / 60.0):
        """simulator.py step: acts, then renders every sensor of the agent."""
        collided = self.get_agent(0).act(action)
        observations = self.get_sensor_observations()
        observations["collided"] = collided
        return observations

    def get_sensor_observations(self, agent_ids=0):
        agent = self.get_agent(agent_ids)
        states = agent.get_state().sensor_states
        observations = {}
        for spec in agent.specs:
            pose = states[spec.uuid]
            height, width = spec.resolution
            rgba, depth = room.render(pose.position, from_coeffs(pose.rotation).matrix(), width, height, float(spec.hfov), self._empty)
            observations[spec.uuid] = depth if spec.sensor_type == SensorType.DEPTH else rgba
            events.record(f"render {spec.uuid}")
        return observations

    def close(self, destroy=True):
        if self in _live:
            _live.remove(self)
            events.record("close")
        self.agents = []
