"""Which scene ids a server can load: mesh files under --scenes, and the scene instances of the
--scene-dataset-config (HM3D, MP3D, Replica, HSSD configs)."""
import os

import habitat_sim

from distdepth.sim.v1 import simulator_pb2 as pb

KINDS = {".ply": pb.SCENE_KIND_PLY, ".glb": pb.SCENE_KIND_GLTF, ".gltf": pb.SCENE_KIND_GLTF}


class SceneNotFound(Exception):
    pass


class SceneCatalog:
    def __init__(self, scenes_dir, dataset_config):
        self.scenes_dir = scenes_dir
        self.dataset_config = dataset_config or "default"
        self._handles = []
        if dataset_config:
            cfg = habitat_sim.SimulatorConfiguration()
            cfg.scene_dataset_config_file = dataset_config
            self._handles = habitat_sim.metadata.MetadataMediator(cfg).get_scene_handles()

    def list(self):
        scenes = [pb.SceneInfo(id=h, kind=pb.SCENE_KIND_HABITAT, description="scene instance of the dataset config")
                  for h in self._handles]
        if self.scenes_dir and os.path.isdir(self.scenes_dir):
            files = sorted(os.path.relpath(os.path.join(root, name), self.scenes_dir)
                           for root, _, names in os.walk(self.scenes_dir) for name in names
                           if os.path.splitext(name)[1].lower() in KINDS)
            scenes += [pb.SceneInfo(id=f, kind=KINDS[os.path.splitext(f)[1].lower()], description="mesh file")
                       for f in files]
        return scenes

    def resolve(self, scene_id):
        """(habitat scene_id, SceneInfo) or SceneNotFound. Checked here because habitat-sim aborts
        the process, rather than raising, on some missing assets."""
        for handle in self._handles:
            if scene_id in (handle, os.path.basename(handle).split(".")[0]):
                return handle, pb.SceneInfo(id=scene_id, kind=pb.SCENE_KIND_HABITAT)
        candidates = [scene_id] if os.path.isabs(scene_id) or not self.scenes_dir else [os.path.join(self.scenes_dir, scene_id), scene_id]
        for path in candidates:
            kind = KINDS.get(os.path.splitext(path)[1].lower())
            if kind and os.path.isfile(path):
                return path, pb.SceneInfo(id=scene_id, kind=kind)
        where = f" (relative ids are looked up in {self.scenes_dir})" if self.scenes_dir else ""
        raise SceneNotFound(f"scene '{scene_id}' not found: ListScenes shows the available ids; a path must name a "
                            f".glb/.gltf/.ply file the server can read, or a scene of the dataset config{where}")
