"""A stand-in for habitat-sim with the same names and signatures the DistDepth server uses, so the
server's protocol conformance runs without a GPU. Every scene file is the same box room (room.py),
ray-cast in numpy: RGBA uint8 and planar z-depth float32 per sensor at its pose."""
from . import geo, metadata, nav
from .agent import ActionSpec, ActuationSpec, Agent, AgentConfiguration, AgentState, SixDOFPose
from .nav import NavMeshSettings, PathFinder, ShortestPath
from .sensor import CameraSensorSpec, SensorSubType, SensorType
from .simulator import Configuration, Simulator, SimulatorConfiguration

__version__ = "0.3.3-fake"
