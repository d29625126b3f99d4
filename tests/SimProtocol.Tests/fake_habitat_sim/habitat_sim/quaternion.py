"""Just enough of numpy-quaternion (w, x, y, z attributes) for agent states. The real
habitat_sim turns coefficient lists and arrays, ordered x, y, z, w, into quaternions the same way."""
import numpy as np


class Quaternion:
    def __init__(self, w=1.0, x=0.0, y=0.0, z=0.0):
        self.w, self.x, self.y, self.z = float(w), float(x), float(y), float(z)

    def __mul__(self, o):
        return Quaternion(
            self.w * o.w - self.x * o.x - self.y * o.y - self.z * o.z,
            self.w * o.x + self.x * o.w + self.y * o.z - self.z * o.y,
            self.w * o.y - self.x * o.z + self.y * o.w + self.z * o.x,
            self.w * o.z + self.x * o.y - self.y * o.x + self.z * o.w)

    def inverse(self):
        n = self.w ** 2 + self.x ** 2 + self.y ** 2 + self.z ** 2
        return Quaternion(self.w / n, -self.x / n, -self.y / n, -self.z / n)

    def matrix(self):
        w, x, y, z = self.w, self.x, self.y, self.z
        return np.array([
            [1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)],
            [2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)],
            [2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)]])

    def rotate(self, v):
        return self.matrix() @ np.asarray(v, dtype=float)

    def __repr__(self):
        return f"quaternion({self.w}, {self.x}, {self.y}, {self.z})"


def from_coeffs(value):
    """Accepts a quaternion or coefficients in habitat's x, y, z, w order (quat_from_coeffs)."""
    if isinstance(value, Quaternion):
        return value
    x, y, z, w = (float(c) for c in value)
    return Quaternion(w, x, y, z)


def from_axis_angle(angle, axis):
    axis = np.asarray(axis, dtype=float) / np.linalg.norm(axis)
    s = np.sin(angle / 2)
    return Quaternion(np.cos(angle / 2), *(axis * s))
