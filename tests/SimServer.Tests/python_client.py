"""A plain Python gRPC client (Debian python3-grpcio) of the simulator protocol, with message classes
built at run time from the server's own descriptor set (no generated code needed).
Usage: /usr/bin/python3 python_client.py DESCRIPTOR_SET ADDRESS. Prints one JSON line."""
import json
import sys

import grpc
from google.protobuf import descriptor_pb2, message_factory

descriptor_set = descriptor_pb2.FileDescriptorSet.FromString(open(sys.argv[1], "rb").read())
messages = message_factory.GetMessages(list(descriptor_set.file))
M = lambda name: messages["distdepth.sim.v1." + name]
channel = grpc.insecure_channel(sys.argv[2], options=[("grpc.max_receive_message_length", 64 << 20)])


def call(method, request, response):
    rpc = channel.unary_unary(f"/distdepth.sim.v1.Simulator/{method}",
                              request_serializer=lambda m: m.SerializeToString(),
                              response_deserializer=M(response).FromString)
    return rpc(request, timeout=60)


scenes = call("ListScenes", M("ListScenesRequest")(), "ListScenesResponse").scenes
loaded = call("LoadScene", M("LoadSceneRequest")(scene_id=scenes[0].id), "LoadSceneResponse")
rig = M("StereoRig")(width=96, height=64)
call("ConfigureRig", M("ConfigureRigRequest")(session_id=loaded.session_id, rig=rig), "StereoRig")
frame = call("Render", M("RenderRequest")(session_id=loaded.session_id), "Frame")
print(json.dumps({
    "scenes": [s.id for s in scenes],
    "loaded": loaded.scene.id,
    "width": frame.intrinsics.width, "height": frame.intrinsics.height, "fx": frame.intrinsics.fx,
    "rgb_left": len(frame.rgb_left), "depth_left": len(frame.depth_left),
    "baseline": frame.baseline_m,
}))
