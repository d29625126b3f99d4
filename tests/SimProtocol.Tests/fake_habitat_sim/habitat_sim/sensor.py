from enum import Enum

import numpy as np


class SensorType(Enum):
    NONE = 0
    COLOR = 1
    DEPTH = 2
    SEMANTIC = 4


class SensorSubType(Enum):
    NONE = 0
    PINHOLE = 1
    ORTHOGRAPHIC = 2


class CameraSensorSpec:
    """Defaults as habitat-sim's: 1.5 m up, 90 deg hfov, 128x128 ([height, width])."""

    def __init__(self):
        self.uuid = ""
        self.sensor_type = SensorType.COLOR
        self.sensor_subtype = SensorSubType.PINHOLE
        self.position = np.array([0.0, 1.5, 0.0])
        self.orientation = np.zeros(3)  # Euler radians, applied X then Y then Z
        self.resolution = [128, 128]
        self.hfov = 90.0
        self.near = 0.01
        self.far = 1000.0
        self.channels = 4
        self.noise_model = "None"

    def __eq__(self, other):
        # src/esp/sensor/Sensor.cpp ~15-18, bound as __eq__ for every spec in SensorBindings.cpp ~104:
        # resolution and hfov are not compared, so a rig that changes only those is "equal".
        return (self.uuid, self.sensor_type, self.sensor_subtype, self.noise_model) == (
            other.uuid, other.sensor_type, other.sensor_subtype, other.noise_model) and np.array_equal(
            self.position, other.position) and np.array_equal(self.orientation, other.orientation)

    __hash__ = None
