import copy
from dataclasses import dataclass, field
from typing import Any, Dict, List

import numpy as np

from . import events, geo
from .quaternion import Quaternion, from_axis_angle, from_coeffs
from .sensor import CameraSensorSpec


@dataclass
class ActuationSpec:
    amount: float
    constraint: Any = None


@dataclass
class ActionSpec:
    name: str
    actuation: ActuationSpec = None


def _default_action_space():
    return {
        "move_forward": ActionSpec("move_forward", ActuationSpec(0.25)),
        "turn_left": ActionSpec("turn_left", ActuationSpec(10.0)),
        "turn_right": ActionSpec("turn_right", ActuationSpec(10.0)),
    }


@dataclass
class AgentConfiguration:
    height: float = 1.5
    radius: float = 0.1
    sensor_specifications: List[CameraSensorSpec] = field(default_factory=list)
    action_space: Dict[Any, ActionSpec] = field(default_factory=_default_action_space)
    body_type: str = "cylinder"


@dataclass
class SixDOFPose:
    position: np.ndarray = field(default_factory=lambda: np.zeros(3))
    rotation: Any = field(default_factory=Quaternion)


@dataclass
class AgentState:
    position: np.ndarray = field(default_factory=lambda: np.zeros(3))
    rotation: Any = field(default_factory=Quaternion)
    sensor_states: Dict[str, SixDOFPose] = field(default_factory=dict)


def _spec_rotation(spec):
    x, y, z = spec.orientation
    return from_axis_angle(z, geo.BACK) * from_axis_angle(y, geo.UP) * from_axis_angle(x, geo.RIGHT)


class Agent:
    """A body pose plus each sensor's pose relative to it, as habitat's scene-node tree keeps them."""

    def __init__(self, agent_config, step_filter):
        self.agent_config = agent_config
        self._step_filter = step_filter
        self._position = np.zeros(3)
        self._rotation = Quaternion()
        # Each sensor keeps the spec it was made from, render target size included: changing the
        # spec object later changes nothing (habitat's C++ sensor holds its own copy).
        self.specs = [copy.deepcopy(s) for s in agent_config.sensor_specifications]
        for spec in self.specs:
            events.record(f"sensor {spec.uuid}")
        self._sensors = {}
        self._reset_sensors()

    def _reset_sensors(self):
        self._sensors = {s.uuid: (np.asarray(s.position, dtype=float), _spec_rotation(s)) for s in self.specs}

    def get_state(self):
        state = AgentState(self._position.copy(), self._rotation)
        for uuid, (offset, rotation) in self._sensors.items():
            state.sensor_states[uuid] = SixDOFPose(self._position + self._rotation.rotate(offset), self._rotation * rotation)
        return state

    def set_state(self, state, reset_sensors=True, infer_sensor_states=True, is_initial=False):
        self._position = np.asarray(state.position, dtype=float).copy()
        self._rotation = from_coeffs(state.rotation)
        if reset_sensors:
            self._reset_sensors()
        if not infer_sensor_states:
            inverse = self._rotation.inverse()
            for uuid, pose in state.sensor_states.items():
                assert uuid in self._sensors
                self._sensors[uuid] = (inverse.rotate(np.asarray(pose.position, dtype=float) - self._position),
                                       inverse * from_coeffs(pose.rotation))

    def act(self, action_id):
        """Returns whether the navmesh filter shortened the move (habitat's collision)."""
        action = self.agent_config.action_space[action_id]
        if action.name == "move_forward":
            start = self._position
            target = start + self._rotation.rotate(geo.FRONT) * action.actuation.amount
            filtered = np.asarray(self._step_filter(start, target), dtype=float)
            self._position = filtered
            # src_python/habitat_sim/agent/controls/object_controls.py ~80-87: a collision is moving
            # less (squared length, EPS 1e-5) than intended; stepping up a stair moves more.
            return float(np.dot(filtered - start, filtered - start)) + 1e-5 < float(np.dot(target - start, target - start))
        if action.name in ("turn_left", "turn_right"):
            sign = 1.0 if action.name == "turn_left" else -1.0
            self._rotation = self._rotation * from_axis_angle(np.radians(sign * action.actuation.amount), geo.UP)
            return False
        if action.name in ("look_up", "look_down"):
            sign = 1.0 if action.name == "look_up" else -1.0
            turn = from_axis_angle(np.radians(sign * action.actuation.amount), geo.RIGHT)
            self._sensors = {k: (p, r * turn) for k, (p, r) in self._sensors.items()}
            return False
        raise ValueError(f"No action {action_id} in action space")
