"""MetadataMediator for a scene dataset config. As in src/esp/metadata/MetadataMediator.h ~269-287,
get_scene_handles() lists the scene instances only; a stage-only dataset (HM3D's and MP3D's configs)
has its scenes as stage handles, from stage_template_manager. Handles are the files matched by the
config's `paths` globs (any extension key), relative to the config."""
import glob
import json
import os


class _TemplateManager:
    def __init__(self, handles):
        self._handles = handles

    def get_template_handles(self, search_str="", contains=True, sorted=True):
        return [h for h in self._handles if (search_str in h) == contains or not search_str]


class MetadataMediator:
    def __init__(self, sim_cfg=None):
        self._scenes, self._stages = [], []
        self._dataset = "default"
        if sim_cfg is not None and sim_cfg.scene_dataset_config_file not in ("", "default"):
            self.active_dataset = sim_cfg.scene_dataset_config_file

    @property
    def active_dataset(self):
        return self._dataset

    @active_dataset.setter
    def active_dataset(self, path):
        self._dataset = path
        with open(path) as f:
            config = json.load(f)
        root = os.path.dirname(path)

        def handles(section):
            globs = config.get(section, {}).get("paths", {})
            return sorted({h for patterns in globs.values() for p in patterns for h in glob.glob(os.path.join(root, p))})
        self._scenes, self._stages = handles("scene_instances"), handles("stages")

    def get_scene_handles(self):
        return list(self._scenes)

    @property
    def stage_template_manager(self):
        return _TemplateManager(list(self._stages))

    def find(self, name):
        """The scene instance or stage a scene name means (full handle or its short name), as
        MetadataMediator::getSceneInstanceAttributesByName finds it, or None."""
        for handle in self._scenes + self._stages:
            if name in (handle, os.path.basename(handle).split(".")[0]):
                return handle
        return None
