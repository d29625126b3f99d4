"""The server's side of the protocol's shared-memory ring (SharedMemoryRing in simulator.proto): a client
on this machine maps one file with the server, and each frame's images go into a slot of it instead of
through protobuf and the socket. The layout is the proto's; the C# twin is src/SimServer/Service/FrameRing.cs.

The server reads and writes the file with pread/pwrite rather than mapping it: a client may truncate
the file at any moment, and touching a mapped page past the end of a file is SIGBUS, which would end
the whole server. With pread/pwrite a short file is an error for that client's stream alone."""
import fcntl
import os
import re
import stat
import struct
import time

FILE_PREFIX = "distdepth-frames-"
MAX_SLOTS = 64
HEADER_BYTES = 4096
RELEASE_COUNTERS_AT = 64
HEADER = struct.Struct("<QQiiq")
# The client's ring is a memfd it sealed against shrinking, offered as /proc/<pid>/fd/<fd>
# (SealedMemory.cs in src/SimServer/Service is the client's side and the C# server's check).
DESCRIPTOR_PATH = re.compile(r"/proc/[0-9]{1,10}/fd/[0-9]{1,10}")
MAGIC = struct.unpack("<Q", b"DDDRING1")[0]


def slot_bytes_for(width, height):
    """The most one frame of a width x height rig needs: RGB left and right, float depth left and right
    (FrameRing.SlotBytesFor in C#)."""
    return width * height * (3 + 3 + 4 + 4)


class RingBroken(Exception):
    """The client's ring file changed under the server (truncated, replaced): its stream must end."""


class FrameRing:
    """A ring the client offered, opened only when it is plainly one: a sealed memfd of the client's, of the size the
    offer says, holding the client's random token. The server writes into it, so anything else is declined."""

    def __init__(self, fd, size, slot_count, slot_bytes):
        self._fd = fd
        self._size = size
        self.slot_count = slot_count
        self.slot_bytes = slot_bytes
        self._uses = [0] * slot_count
        self._next = 0

    @classmethod
    def open(cls, offer, max_slot_bytes):
        """The offered ring, or None when this server cannot share it (then frames go inline). A slot
        larger than `max_slot_bytes` (a whole frame of the session's rig) is declined, so an offer
        cannot make the server touch more of a file than its frames need."""
        if not offer.path or not 1 <= offer.slot_count <= MAX_SLOTS or not 1 <= offer.slot_bytes <= max_slot_bytes:
            return None
        if not DESCRIPTOR_PATH.fullmatch(offer.path):
            return None
        size = HEADER_BYTES + offer.slot_count * offer.slot_bytes  # both bounded above: no overflow downstream
        try:
            target = os.readlink(offer.path)
            if not target.startswith("/memfd:" + FILE_PREFIX):
                return None
            # /proc/<pid>/fd/<fd> is a link by nature: the path's form and its target were checked above.
            fd = os.open(offer.path, os.O_RDWR | os.O_CLOEXEC)
        except OSError:
            return None
        try:
            info = os.fstat(fd)
            seals = fcntl.fcntl(fd, fcntl.F_GET_SEALS)
            header = os.pread(fd, HEADER.size, 0)
        except OSError:
            os.close(fd)
            return None
        if (not stat.S_ISREG(info.st_mode) or not seals & fcntl.F_SEAL_SHRINK or info.st_size != size
                or len(header) != HEADER.size):
            os.close(fd)
            return None
        magic, token, slot_count, _, slot_bytes = HEADER.unpack(header)
        if (magic, token, slot_count, slot_bytes) != (MAGIC, offer.token, offer.slot_count, offer.slot_bytes):
            os.close(fd)
            return None
        return cls(fd, size, slot_count, slot_bytes)

    def fits(self, total_bytes):
        return total_bytes <= self.slot_bytes

    def write(self, images, client_active):
        """Waits until the client has released the next slot's last use, copies `images` (bytes-like, in
        field order) into it one after another and returns the slot's index; None when the client left.
        Raises RingBroken when the file is no longer the ring it was."""
        slot = self._next
        counter = RELEASE_COUNTERS_AT + 8 * slot
        while self._released(counter) != self._uses[slot]:
            if not client_active():
                return None
            time.sleep(0.0005)
        if os.fstat(self._fd).st_size != self._size:
            raise RingBroken(f"the shared-memory ring's file is no longer {self._size} bytes long")
        at = HEADER_BYTES + slot * self.slot_bytes
        total = sum(len(image) for image in images)
        if os.pwritev(self._fd, images, at) != total:
            raise RingBroken("the shared-memory ring took a short write")
        self._uses[slot] += 1
        self._next = (slot + 1) % self.slot_count
        return slot

    def _released(self, counter):
        data = os.pread(self._fd, 8, counter)
        if len(data) != 8:
            raise RingBroken("the shared-memory ring's file was truncated")
        return struct.unpack("<Q", data)[0]

    def close(self):
        os.close(self._fd)
