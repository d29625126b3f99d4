"""habitat_sim.geo's axes: y up, -z forward, x right."""
import numpy as np

UP = np.array([0.0, 1.0, 0.0])
GRAVITY = -UP
FRONT = np.array([0.0, 0.0, -1.0])
BACK = -FRONT
LEFT = np.array([-1.0, 0.0, 0.0])
RIGHT = -LEFT
