"""Independent depth reference: renders the Cycles Z pass of a mesh at given camera poses.

Run: blender -b --factory-startup --python blender_depth.py -- MESH POSES.json WIDTH HEIGHT HFOV_DEG OUT_DIR
MESH is .ply or .glb, imported with Blender's own importers. POSES.json is a list of
{"position": [x, y, z], "rotation": [w, x, y, z]}: left-camera-to-world in the simulator's frame
(y up, camera looking down -z, which is also a Blender camera's local frame). Writes, per pose i,
OUT_DIR/depth_i.exr (the Z pass, OpenEXR float) and OUT_DIR/depth_i.f32 (the same values as raw
little-endian float32, top row first, 0 where nothing was hit). Cycles 3.4 writes planar z-depth
(distance along the view axis) for perspective cameras, the same quantity the simulator sends: the
comparison would fail by up to 70% at a 90-degree image corner if it were ray length.
"""
import json
import math
import os
import sys

import bpy
import numpy as np
from mathutils import Matrix, Quaternion, Vector

mesh_path, poses_path, width, height, hfov_deg, out_dir = sys.argv[sys.argv.index("--") + 1:]
width, height, hfov = int(width), int(height), math.radians(float(hfov_deg))
poses = json.load(open(poses_path))

# Debian 12 pairs Blender 3.4's glTF importer with numpy 1.24, which removed the np.bool alias it uses.
if not hasattr(np, "bool"):
    np.bool = bool

bpy.ops.wm.read_factory_settings(use_empty=True)
scene = bpy.context.scene
if mesh_path.lower().endswith(".ply"):
    bpy.ops.import_mesh.ply(filepath=mesh_path)
else:
    bpy.ops.import_scene.gltf(filepath=mesh_path)

# The glTF importer turns y-up into Blender's z-up (x, y, z) -> (x, -z, y); the PLY importer keeps
# coordinates. Find out which happened from the imported bounds instead of assuming.
objects = [o for o in scene.objects if o.type == "MESH"]
world_ys = [(o.matrix_world @ Vector(c)).y for o in objects for c in o.bound_box]
world_zs = [(o.matrix_world @ Vector(c)).z for o in objects for c in o.bound_box]
expected = json.loads(os.environ.get("EXPECTED_Y_RANGE", "null"))
to_blender = Matrix.Identity(4)
if expected is not None:
    y_range = (min(world_ys), max(world_ys))
    z_range = (min(world_zs), max(world_zs))
    if abs(z_range[0] - expected[0]) + abs(z_range[1] - expected[1]) < abs(y_range[0] - expected[0]) + abs(y_range[1] - expected[1]):
        to_blender = Matrix.Rotation(math.radians(90), 4, "X")
print(f"blender_depth: axis conversion {'y-up -> z-up' if to_blender != Matrix.Identity(4) else 'none'}")

camera_data = bpy.data.cameras.new("rig_left")
camera_data.sensor_fit = "HORIZONTAL"
camera_data.sensor_width = 36.0
fx = (width / 2) / math.tan(hfov / 2)
camera_data.lens = fx * camera_data.sensor_width / width
camera_data.shift_x = camera_data.shift_y = 0.0
camera_data.clip_start, camera_data.clip_end = 0.001, 10000.0
camera = bpy.data.objects.new("rig_left", camera_data)
scene.collection.objects.link(camera)
scene.camera = camera

render = scene.render
render.engine = "CYCLES"
render.resolution_x, render.resolution_y, render.resolution_percentage = width, height, 100
render.pixel_aspect_x = render.pixel_aspect_y = 1.0
scene.cycles.device = "CPU"
scene.cycles.samples = 1
scene.cycles.use_adaptive_sampling = False
scene.cycles.use_denoising = False
# A 1-sample render puts its one sample where the pixel filter says: a tiny box keeps it at the
# pixel centre, where the rasterizer samples too.
scene.cycles.pixel_filter_type = "BOX"
scene.cycles.filter_width = 0.01
scene.cycles.max_bounces = 0
scene.view_layers[0].use_pass_z = True

scene.use_nodes = True
tree = scene.node_tree
tree.nodes.clear()
layers = tree.nodes.new("CompositorNodeRLayers")
output = tree.nodes.new("CompositorNodeOutputFile")
output.base_path = out_dir
output.format.file_format = "OPEN_EXR"
output.format.color_depth = "32"
output.format.color_mode = "RGB"
output.file_slots[0].path = "depth_"
tree.links.new(layers.outputs["Depth"], output.inputs[0])
composite = tree.nodes.new("CompositorNodeComposite")
tree.links.new(layers.outputs["Image"], composite.inputs["Image"])

for i, pose in enumerate(poses):
    rotation = Quaternion(pose["rotation"]).to_matrix().to_4x4()
    camera.matrix_world = to_blender @ (Matrix.Translation(Vector(pose["position"])) @ rotation)
    scene.frame_set(i)
    bpy.ops.render.render(write_still=False)
    exr = os.path.join(out_dir, f"depth_{i:04d}.exr")
    image = bpy.data.images.load(exr)
    pixels = np.array(image.pixels[:], dtype=np.float32).reshape(height, width, 4)[::-1, :, 0]
    bpy.data.images.remove(image)
    depth = np.where(pixels > 1e9, 0.0, pixels).astype("<f4")
    depth.tofile(os.path.join(out_dir, f"depth_{i}.f32"))
    os.replace(exr, os.path.join(out_dir, f"depth_{i}.exr"))
print("blender_depth: done")
