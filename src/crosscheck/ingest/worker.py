"""HTML extraction in a worker process, so that an extraction that hangs can be stopped.

trafilatura and lxml can take minutes on pathological markup (tens of thousands of repeated paragraphs take time
quadratic in their number), and a Python thread stuck in C code cannot be interrupted: a process can be killed.
One worker starts with the first HTML page and serves every later one (starting it, which imports trafilatura,
costs about half a second once); a page that runs past its time limit has its worker killed, and the next page
starts a fresh one. A worker that crashes (a segfault, the kernel's out-of-memory killer) costs one page, not the
batch.

Requests and answers are frames on the worker's stdin and on a private copy of its stdout: two lengths, a small
JSON header and a raw body (the page as UTF-8: JSON-escaping a 200 kB page would cost five times as much). The
worker points its own stdout at stderr, so that a library printing something cannot corrupt the channel.
"""

from __future__ import annotations

import atexit
import contextlib
import dataclasses
import json
import os
import select
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO, Any

from crosscheck.errors import InputError
from crosscheck.lifeline import exit_with_parent
from crosscheck.models import ParsedArticle

START_TIMEOUT = 60.0  # seconds for a fresh worker to import its libraries (not counted against a page's limit)
_LENGTH = 8  # bytes of each big-endian length: the JSON header's, then the body's


class _Stopped(Exception):
    """The worker did not answer in time, or is gone."""


def _encode(message: dict[str, Any], body: bytes = b"") -> bytes:
    header = json.dumps(message, ensure_ascii=False).encode("utf-8", "surrogatepass")
    return len(header).to_bytes(_LENGTH, "big") + len(body).to_bytes(_LENGTH, "big") + header + body


def _decode(payload: bytes) -> dict[str, Any]:
    message = json.loads(payload.decode("utf-8", "surrogatepass"))
    if not isinstance(message, dict):
        raise _Stopped("malformed answer")
    return message


def _read_exact(fd: int, size: int, deadline: float) -> bytes:
    """Read ``size`` bytes from a pipe, giving up at ``deadline`` (a monotonic time)."""
    parts: list[bytes] = []
    have = 0
    while have < size:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
            raise TimeoutError
        chunk = os.read(fd, min(size - have, 1 << 20))
        if not chunk:
            raise _Stopped("worker closed its output")
        parts.append(chunk)
        have += len(chunk)
    return b"".join(parts)


def _read_frame(fd: int, deadline: float) -> dict[str, Any]:
    """An answer from the worker (answers carry no body)."""
    lengths = _read_exact(fd, 2 * _LENGTH, deadline)
    header = _read_exact(fd, int.from_bytes(lengths[:_LENGTH], "big"), deadline)
    _read_exact(fd, int.from_bytes(lengths[_LENGTH:], "big"), deadline)
    return _decode(header)


class ExtractionWorker:
    """A reusable worker process running :func:`crosscheck.ingest.html.extract_html` under a time limit.

    Thread-safe (pages are extracted one at a time) and fork-aware (a forked child starts its own worker).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._owner = 0  # pid of the process that started the worker

    def extract(self, markup: str, *, url: str | None, location: str, timeout: float) -> ParsedArticle:
        """Extract one page; raise InputError when it fails or takes longer than ``timeout`` seconds."""
        request = _encode({"url": url, "location": location}, markup.encode("utf-8", "surrogatepass"))
        with self._lock:
            process = self._running()
            try:
                assert process.stdin is not None and process.stdout is not None
                process.stdin.write(request)
                process.stdin.flush()
                answer = _read_frame(process.stdout.fileno(), time.monotonic() + timeout)
            except TimeoutError:
                self._stop()
                raise InputError(f"extraction took longer than {timeout:g} s; stopped") from None
            except (_Stopped, OSError, ValueError) as exc:
                code = self._stop()
                raise InputError(f"extraction failed: the worker process stopped (exit code {code})") from exc
        if "error" in answer:
            raise InputError(str(answer["error"]))
        return ParsedArticle(**answer["article"])

    def close(self) -> None:
        """Stop the worker (at exit, or to free its memory); the next page starts a new one."""
        with self._lock:
            self._stop()

    def _running(self) -> subprocess.Popen[bytes]:
        if self._process is not None and (self._owner != os.getpid() or self._process.poll() is not None):
            if self._owner == os.getpid():
                self._stop()
            self._process = None  # a forked child never touches its parent's worker
        if self._process is None:
            self._process = self._start()
            self._owner = os.getpid()
        return self._process

    def _start(self) -> subprocess.Popen[bytes]:
        source_root = str(Path(__file__).resolve().parents[2])  # so that a source checkout works uninstalled
        path = os.environ.get("PYTHONPATH")
        env = {**os.environ, "PYTHONPATH": source_root + (os.pathsep + path if path else "")}
        # -c rather than -m: the package imports this module, and runpy warns when it is run again as __main__
        command = [sys.executable, "-c", "from crosscheck.ingest.worker import main; main()", str(os.getpid())]
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
        try:
            assert process.stdout is not None
            if _read_frame(process.stdout.fileno(), time.monotonic() + START_TIMEOUT).get("ready") is not True:
                raise _Stopped("no ready message")
        except (TimeoutError, _Stopped, OSError, ValueError) as exc:
            self._process = process
            code = self._stop()
            reason = f"the extraction worker did not start (exit code {code}); extraction_timeout=0 extracts in-process"
            raise InputError(reason) from exc
        return process

    def _stop(self) -> int | None:
        """Kill the worker if it runs, reap it and close its pipes; return its exit code."""
        process, self._process = self._process, None
        if process is None:
            return None
        if process.poll() is None:
            process.kill()
        code = process.wait()
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):  # a broken pipe to a dead worker
                    stream.close()
        return code


_WORKER = ExtractionWorker()
atexit.register(_WORKER.close)


def extract_html_limited(markup: str, *, url: str | None, location: str, timeout: float) -> ParsedArticle:
    """:func:`~crosscheck.ingest.html.extract_html` in the shared worker process, stopped after ``timeout`` s.

    A ``timeout`` of zero or less extracts in this process without a limit.
    """
    if timeout <= 0:
        from crosscheck.ingest.html import extract_html

        return extract_html(markup, url=url, location=location)
    return _WORKER.extract(markup, url=url, location=location, timeout=timeout)


# --- the worker side -----------------------------------------------------------------------------------------


def _answer(request: dict[str, Any], markup: str) -> dict[str, Any]:
    from crosscheck.ingest.html import extract_html

    try:
        article = extract_html(markup, url=request["url"], location=request["location"])
    except InputError as exc:
        return {"error": str(exc)}
    except Exception as exc:  # one odd page must not end the worker: it is one failure, like in the batch
        return {"error": f"unexpected error: {type(exc).__name__}: {exc}"}
    return {"article": dataclasses.asdict(article)}


def serve(requests: IO[bytes], answers: IO[bytes]) -> None:
    """Answer extraction requests until the input closes."""
    import crosscheck.ingest.html  # noqa: F401  (imported before saying ready: start-up is not a page's time)

    answers.write(_encode({"ready": True}))
    answers.flush()
    while lengths := requests.read(2 * _LENGTH):
        header = _decode(requests.read(int.from_bytes(lengths[:_LENGTH], "big")))
        markup = requests.read(int.from_bytes(lengths[_LENGTH:], "big")).decode("utf-8", "surrogatepass")
        answers.write(_encode(_answer(header, markup)))
        answers.flush()


def main() -> None:
    """Entry point of the worker process (started by :class:`ExtractionWorker` with the parent's pid)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the parent, which then stops the worker
    exit_with_parent(int(sys.argv[1]))  # a killed ingest leaves no worker running on
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything a library prints goes to stderr, never into the channel
    serve(sys.stdin.buffer, answers)
