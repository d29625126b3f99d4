"""MetadataMediator for a scene dataset config: its scene handles are the scene instance files
matched by the config's `scene_instances.paths` globs, relative to the config."""
import glob
import json
import os


class MetadataMediator:
    def __init__(self, sim_cfg=None):
        self._handles = []
        if sim_cfg is not None and sim_cfg.scene_dataset_config_file not in ("", "default"):
            self.active_dataset = sim_cfg.scene_dataset_config_file

    @property
    def active_dataset(self):
        return self._dataset

    @active_dataset.setter
    def active_dataset(self, path):
        self._dataset = path
        with open(path) as f:
            patterns = json.load(f).get("scene_instances", {}).get("paths", {}).get(".json", [])
        root = os.path.dirname(path)
        self._handles = sorted(h for p in patterns for h in glob.glob(os.path.join(root, p)))

    def get_scene_handles(self):
        return list(self._handles)
