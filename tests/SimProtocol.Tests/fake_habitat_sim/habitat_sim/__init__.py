"""A stand-in for habitat-sim 0.3.3 with the same names and signatures the DistDepth server uses, so the
server runs without a GPU. It is as strict as the real one where a server can go wrong (each place
names the real file it imitates): one Simulator per process, reconfigure equality, islands, one global
random generator, try_step's all-or-nothing. Every scene file is the same box room (room.py), ray-cast
in numpy: RGBA uint8 and planar z-depth float32 per sensor at its pose; a file that says `empty` is a
scene without geometry. events.py records what it did for tests."""
from . import geo, metadata, nav
from .agent import ActionSpec, ActuationSpec, Agent, AgentConfiguration, AgentState, SixDOFPose
from .nav import NavMeshSettings, PathFinder, ShortestPath
from .sensor import CameraSensorSpec, SensorSubType, SensorType
from .simulator import Configuration, Simulator, SimulatorConfiguration

__version__ = "0.3.3-fake"
