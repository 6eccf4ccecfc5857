"""Bulk bodies sized by bytes and sent a few at a time: a batch is split evenly over SHIP_PARALLEL
requests (each under SHIP_MAX_BYTES), which the domain indexes side by side, one write thread each
(a single request to a one-shard index is indexed by one thread, however many cores the node has)."""
import math
import os
from concurrent.futures import ThreadPoolExecutor

MIN_BYTES = 64 * 1024  # below this, a request's overhead outweighs what splitting gains
_pools = {}  # {(pid, size): executor}: a pool made before a fork has no threads in the child


def chunks(encoded, max_bytes, parallel=1):
    """Group (key, bulk lines) pairs into at most `parallel` bodies of about an even share of the whole (more
    where that share would exceed max_bytes), each body filled to at least its share before the next
    begins."""
    encoded = list(encoded)
    total = sum(len(lines) for _, lines in encoded)
    largest = max((len(lines) for _, lines in encoded), default=0)
    limit = min(max_bytes, max(MIN_BYTES, math.ceil(total / max(1, parallel)) + largest))
    chunk = []
    size = 0
    for key, lines in encoded:
        if chunk and size + len(lines) > limit:
            yield chunk
            chunk = []
            size = 0
        chunk.append((key, lines))
        size += len(lines)
    if chunk:
        yield chunk


def post_all(sender, bodies):
    """Post the bodies in the background, at most SHIP_PARALLEL at a time; a future of each (items, error)."""
    return [_pool(max(1, sender.parallel)).submit(sender.post, body) for body in bodies]


def _pool(size):
    key = (os.getpid(), size)
    if key not in _pools:
        _pools[key] = ThreadPoolExecutor(max_workers=size, thread_name_prefix="bulk")
    return _pools[key]
