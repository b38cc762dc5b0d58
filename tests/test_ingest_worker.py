"""HTML extraction in a worker process: same result as in-process, a hung extraction is stopped at its time limit,
and a worker that dies or is killed costs one page at most, never the batch."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from crosscheck.errors import InputError
from crosscheck.ingest.html import extract_html
from crosscheck.ingest.worker import ExtractionWorker, extract_html_limited

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
PARAGRAPH = "<p>The council met on Tuesday to discuss the budget for next year and agreed on most points.</p>"
SLOW_PAGE = "<html><body><article>" + PARAGRAPH * 60_000 + "</article></body></html>"  # about 8 s to extract
PAGE = (FIXTURES / "article-page.html").read_text(encoding="utf-8")


@pytest.fixture
def worker() -> Iterator[ExtractionWorker]:
    pool = ExtractionWorker()
    yield pool
    pool.close()


@pytest.mark.parametrize("name", ["article-page.html", "cp1252-declared-latin1.html"])
def test_the_worker_gives_what_in_process_extraction_gives(worker: ExtractionWorker, name: str) -> None:
    markup = (FIXTURES / name).read_bytes().decode("cp1252")
    url = "https://ledger.example.org/x"
    inline = extract_html(markup, url=url, location=name)
    assert worker.extract(markup, url=url, location=name, timeout=10) == inline


def test_a_slow_extraction_is_stopped_and_the_next_page_gets_a_new_worker(worker: ExtractionWorker) -> None:
    start = time.monotonic()
    with pytest.raises(InputError, match=r"extraction took longer than 0\.5 s"):
        worker.extract(SLOW_PAGE, url=None, location="slow.html", timeout=0.5)
    assert time.monotonic() - start < 2
    assert worker._process is None  # killed and reaped
    article = worker.extract(PAGE, url=None, location="page.html", timeout=10)
    assert article.title == "Harbour board backs winter ferry timetable"


def test_a_worker_killed_mid_page_fails_that_page_only(worker: ExtractionWorker) -> None:
    worker.extract(PAGE, url=None, location="warm-up", timeout=10)
    process = worker._process
    assert process is not None
    killer = threading.Timer(0.3, os.kill, (process.pid, signal.SIGKILL))
    killer.start()
    try:
        with pytest.raises(InputError, match=r"worker process stopped \(exit code -9\)"):
            worker.extract(SLOW_PAGE, url=None, location="slow.html", timeout=30)
    finally:
        killer.cancel()
    assert worker.extract(PAGE, url=None, location="page.html", timeout=10).text


def test_a_worker_that_died_between_pages_is_replaced(worker: ExtractionWorker) -> None:
    worker.extract(PAGE, url=None, location="warm-up", timeout=10)
    assert worker._process is not None
    os.kill(worker._process.pid, signal.SIGKILL)
    worker._process.wait()
    assert worker.extract(PAGE, url=None, location="page.html", timeout=10).text


def test_errors_inside_the_worker_are_one_failure(worker: ExtractionWorker) -> None:
    with pytest.raises(InputError, match="no main text found"):
        worker.extract("<html><body><script>x</script></body></html>", url=None, location="empty.html", timeout=10)
    assert worker._process is not None and worker._process.poll() is None  # still serving


def test_close_reaps_the_worker(worker: ExtractionWorker) -> None:
    worker.extract(PAGE, url=None, location="page.html", timeout=10)
    process = worker._process
    assert process is not None
    worker.close()
    assert process.returncode is not None


def test_no_time_limit_extracts_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_worker(*args: object, **kwargs: object) -> None:
        raise AssertionError("timeout 0 must not use the worker")

    monkeypatch.setattr(ExtractionWorker, "extract", no_worker)
    assert extract_html_limited(PAGE, url=None, location="page.html", timeout=0).text
