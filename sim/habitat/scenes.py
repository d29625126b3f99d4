"""Which scene ids a server can load: mesh files under --scenes, and the scenes of the
--scene-dataset-config (HM3D, MP3D, Replica, HSSD configs).

Clients name files the server opens, so a file id is a path relative to --scenes, and the file it
resolves to (symlinks followed) must lie inside that folder. The answer for a file outside, whether
or not it exists, is the same as for one that does not exist."""
import os

import habitat_sim

from distdepth.sim.v1 import simulator_pb2 as pb

KINDS = {".ply": pb.SCENE_KIND_PLY, ".glb": pb.SCENE_KIND_GLTF, ".gltf": pb.SCENE_KIND_GLTF}
# habitat-sim's StageAttributesManager.cpp (~262-266) takes a bare .glb as a z-up Matterport3D mesh and
# the rest as y-up; `*_semantic.ply` is an instance mesh of object ids, `.semantic.glb` HM3D's colours.
SEMANTIC_SUFFIXES = ("_semantic.ply", ".semantic.glb")
UP_AXIS = {".glb": "loaded z-up (habitat takes a bare .glb as Matterport3D); a y-up .glb needs its --scene-dataset-config",
           ".gltf": "loaded y-up", ".ply": "loaded y-up"}
NOT_SCENE_STAGES = {"NONE"}  # habitat's built-in empty stage


class SceneNotFound(Exception):
    pass


class SceneRefused(Exception):
    """A scene id that names no file under --scenes by its form alone (absolute, `..`)."""


def _is_scene_file(name):
    lower = name.lower()
    return os.path.splitext(lower)[1] in KINDS and not lower.endswith(SEMANTIC_SUFFIXES)


def _short(handle):
    return os.path.basename(handle).split(".")[0]


class SceneCatalog:
    def __init__(self, scenes_dir, dataset_config):
        self.scenes_dir = os.path.realpath(scenes_dir) if scenes_dir else None
        self.dataset_config = dataset_config or "default"
        self._dataset = {}  # id -> habitat handle
        self._dataset_root = None
        if dataset_config:
            cfg = habitat_sim.SimulatorConfiguration()
            cfg.scene_dataset_config_file = dataset_config
            mediator = habitat_sim.metadata.MetadataMediator(cfg)
            # MetadataMediator.h ~269-287: get_scene_handles() has scene instances only; stage-only
            # datasets (HM3D's and MP3D's configs) have their scenes as stages.
            handles = mediator.get_scene_handles() or [
                h for h in mediator.stage_template_manager.get_template_handles() if h not in NOT_SCENE_STAGES]
            shorts = [_short(h) for h in handles]
            root = self._dataset_root = os.path.dirname(os.path.abspath(dataset_config))
            self._dataset = {s if shorts.count(s) == 1 else os.path.relpath(h, root): h for s, h in zip(shorts, handles)}

    def list(self):
        scenes = [pb.SceneInfo(id=i, kind=pb.SCENE_KIND_HABITAT, description="scene of the dataset config")
                  for i in sorted(self._dataset)]
        if self.scenes_dir and os.path.isdir(self.scenes_dir):
            files = sorted(os.path.relpath(os.path.join(root, name), self.scenes_dir)
                           for root, _, names in os.walk(self.scenes_dir) for name in names if _is_scene_file(name))
            scenes += [pb.SceneInfo(id=f, kind=KINDS[os.path.splitext(f)[1].lower()],
                                    description=f"mesh file, {UP_AXIS[os.path.splitext(f)[1].lower()]}")
                       for f in files if self._inside(f)]
        return scenes

    def resolve(self, scene_id):
        """(habitat scene_id, SceneInfo), or SceneRefused / SceneNotFound. Checked here because
        habitat-sim aborts the process, rather than raising, on some missing assets."""
        if scene_id in self._dataset:
            return self._dataset[scene_id], pb.SceneInfo(id=scene_id, kind=pb.SCENE_KIND_HABITAT)
        for handle in self._dataset.values():
            # The handle itself, or its path from the config's folder (what a glob run there gives).
            if scene_id in (handle, os.path.relpath(handle, self._dataset_root)):
                return handle, pb.SceneInfo(id=scene_id, kind=pb.SCENE_KIND_HABITAT)
        if os.path.isabs(scene_id) or ".." in scene_id.replace("\\", "/").split("/") or "\0" in scene_id:
            raise SceneRefused(f"scene id '{scene_id}' is refused: scene files are named by their path relative to the "
                               "server's --scenes folder, never absolute or with '..'")
        path = self._inside(scene_id) if self.scenes_dir else None
        if path and _is_scene_file(path) and os.path.isfile(path):
            return path, pb.SceneInfo(id=scene_id, kind=KINDS[os.path.splitext(path)[1].lower()])
        raise SceneNotFound(f"scene '{scene_id}' not found: ListScenes shows the ids this server has (.glb/.gltf/.ply "
                            "files relative to its --scenes folder, and the scenes of its dataset config)")

    def _inside(self, relative):
        """The real path of `relative` under --scenes, or None when it resolves outside it."""
        path = os.path.realpath(os.path.join(self.scenes_dir, relative))
        return path if os.path.commonpath([path, self.scenes_dir]) == self.scenes_dir else None
