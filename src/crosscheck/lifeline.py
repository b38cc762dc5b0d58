"""Worker processes end with the process that started them: a killed ingest leaves no worker running on.

A worker blocked on its pipe would notice its parent's death only if the pipe closed, and a pool's queues stay
open in the workers themselves. So each worker watches its parent: on Linux the kernel kills it the moment the
parent dies (``PR_SET_PDEATHSIG``); everywhere, a daemon thread checks once a second that the parent is still the
one that started it, and ends the worker when it is not (the orphan has been handed to another process).
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time

CHECK_SECONDS = 1.0
_PR_SET_PDEATHSIG = 1


def exit_with_parent(parent: int) -> None:
    """Make this process end when process ``parent`` (its parent, which started it) dies."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it died before the signal was asked for
        os._exit(0)
    threading.Thread(target=_watch, args=(parent,), name="parent watch", daemon=True).start()


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(CHECK_SECONDS)
    os._exit(0)  # an orphan: no cleanup owed to anyone
