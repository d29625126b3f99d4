import os
from dataclasses import dataclass, field
from typing import List

import numpy as np

from . import metadata, room
from .agent import Agent, AgentConfiguration
from .nav import PathFinder
from .quaternion import from_coeffs
from .sensor import SensorType


@dataclass
class SimulatorConfiguration:
    scene_id: str = ""
    scene_dataset_config_file: str = "default"
    enable_physics: bool = False
    allow_sliding: bool = True
    random_seed: int = 0
    gpu_device_id: int = 0


@dataclass
class Configuration:
    sim_cfg: SimulatorConfiguration
    agents: List[AgentConfiguration] = field(default_factory=list)


class Simulator:
    def __init__(self, config):
        self.pathfinder = PathFinder()
        self.reconfigure(config)

    def reconfigure(self, config):
        scene = config.sim_cfg.scene_id
        handles = metadata.MetadataMediator(config.sim_cfg).get_scene_handles()
        named = [h for h in handles if os.path.basename(h).split(".")[0] == scene]
        path = scene if os.path.isfile(scene) else (named[0] if named else None)
        if path is None:
            raise RuntimeError(f"Could not find scene '{scene}'")
        if os.path.isfile(os.path.splitext(path)[0] + ".navmesh"):
            self.pathfinder.load_nav_mesh(os.path.splitext(path)[0] + ".navmesh")
        self.config = config
        filter_step = self.pathfinder.try_step if config.sim_cfg.allow_sliding else self.pathfinder.try_step_no_sliding
        self.agents = [Agent(a, lambda start, end: filter_step(start, end) if self.pathfinder.is_loaded else end)
                       for a in config.agents]

    def recompute_navmesh(self, pathfinder, navmesh_settings):
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
        collided = self.get_agent(0).act(action)
        observations = self.get_sensor_observations()
        observations["collided"] = collided
        return observations

    def get_sensor_observations(self, agent_ids=0):
        agent = self.get_agent(agent_ids)
        states = agent.get_state().sensor_states
        observations = {}
        for spec in agent.agent_config.sensor_specifications:
            pose = states[spec.uuid]
            height, width = spec.resolution
            rgba, depth = room.render(pose.position, from_coeffs(pose.rotation).matrix(), width, height, float(spec.hfov))
            observations[spec.uuid] = depth if spec.sensor_type == SensorType.DEPTH else rgba
        return observations

    def close(self, destroy=True):
        self.agents = []
