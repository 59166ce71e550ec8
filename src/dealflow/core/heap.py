"""The garbage collector of a long-running worker process."""

from __future__ import annotations

import gc


def keep_startup_objects() -> None:
    """Leave the objects alive now (imported modules, handlers, what startup cached) out of
    the garbage collector's full collections, once a worker process has started.

    A full collection walks every tracked object: in a jobs worker that is the ~250,000
    objects of its imports, about 130 ms each time, while its jobs make the garbage. They
    are frozen as they are (what they drop is still freed by reference counting; only a
    cycle among them would be kept), and what the jobs make is collected as before.
    """
    gc.collect()
    gc.freeze()
