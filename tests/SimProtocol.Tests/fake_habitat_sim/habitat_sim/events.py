"""What the fake did, for tests to assert on: one line per event appended to the file named by
FAKE_HABITAT_SIM_EVENTS (`{pid}` in it becomes the process id, so each server process of a group
writes its own). Events: `simulator` (one made), `close`, `sensor <uuid>` (a sensor and its render
target made), `render <uuid>`, `semantic_mesh <scene>`, `scene <scene> <up axis>`."""
import os


def record(event):
    path = os.environ.get("FAKE_HABITAT_SIM_EVENTS")
    if path:
        with open(path.replace("{pid}", str(os.getpid())), "a") as f:
            f.write(event + "\n")
