"""The server's side of the protocol's shared-memory ring (SharedMemoryRing in simulator.proto): a client
on this machine maps one file with the server, and each frame's images go into a slot of it instead of
through protobuf and the socket. The layout is the proto's; the C# twin is src/SimServer/Service/FrameRing.cs."""
import mmap
import os
import struct
import time

FILE_PREFIX = "distdepth-frames-"
FILE_SUFFIX = ".ring"
MAX_SLOTS = 64
HEADER_BYTES = 4096
RELEASE_COUNTERS_AT = 64
MAGIC = struct.unpack("<Q", b"DDDRING1")[0]


class FrameRing:
    """A ring the client offered, opened only when it is plainly one: named like a ring, of the size the
    offer says, holding the client's random token. The server writes into it, so anything else is declined."""

    def __init__(self, file, view, slot_count, slot_bytes):
        self._file = file
        self._view = view
        self.slot_count = slot_count
        self.slot_bytes = slot_bytes
        self._uses = [0] * slot_count
        self._next = 0

    @classmethod
    def open(cls, offer):
        """The offered ring, or None when this server cannot share it (then frames go inline)."""
        if not offer.path or not 1 <= offer.slot_count <= MAX_SLOTS or offer.slot_bytes < 1:
            return None
        name = os.path.basename(offer.path)
        if not os.path.isabs(offer.path) or not name.startswith(FILE_PREFIX) or not name.endswith(FILE_SUFFIX):
            return None
        size = HEADER_BYTES + offer.slot_count * offer.slot_bytes
        try:
            file = open(offer.path, "r+b")
        except OSError:
            return None
        try:
            if os.fstat(file.fileno()).st_size != size:
                file.close()
                return None
            view = mmap.mmap(file.fileno(), size)
        except OSError:
            file.close()
            return None
        magic, token, slot_count, _, slot_bytes = struct.unpack_from("<QQiiq", view, 0)
        if (magic, token, slot_count, slot_bytes) != (MAGIC, offer.token, offer.slot_count, offer.slot_bytes):
            view.close()
            file.close()
            return None
        return cls(file, view, slot_count, slot_bytes)

    def fits(self, total_bytes):
        return total_bytes <= self.slot_bytes

    def write(self, images, client_active):
        """Waits until the client has released the next slot's last use, copies `images` (bytes-like, in
        field order) into it one after another and returns the slot's index; None when the client left."""
        slot = self._next
        counter = RELEASE_COUNTERS_AT + 8 * slot
        while struct.unpack_from("<Q", self._view, counter)[0] != self._uses[slot]:
            if not client_active():
                return None
            time.sleep(0.0005)
        self._uses[slot] += 1
        self._next = (slot + 1) % self.slot_count
        at = HEADER_BYTES + slot * self.slot_bytes
        for image in images:
            length = len(image)
            self._view[at:at + length] = image
            at += length
        return slot

    def close(self):
        self._view.close()
        self._file.close()
