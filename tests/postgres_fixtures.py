"""PostgreSQL for tests: a private throwaway cluster started once per session, and a fresh database per test.

``CROSSCHECK_TEST_POSTGRES=postgresql://…`` uses an existing server instead (its user must be allowed to create
databases). Otherwise the server binaries are looked for in ``CROSSCHECK_TEST_PG_BINDIR``, ``pg_config
--bindir``, ``/usr/lib/postgresql/*/bin`` and the PATH, and the tests that need them skip, saying why, when there
are none. The cluster listens on a Unix socket in its own temporary folder only (no TCP). PostgreSQL refuses to
run as root, so under root the cluster belongs to the ``postgres`` system user (or ``nobody``).
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

import psycopg
import pytest
from psycopg import sql

ENV_URL = "CROSSCHECK_TEST_POSTGRES"
ENV_BINDIR = "CROSSCHECK_TEST_PG_BINDIR"
SUPERUSER = "crosscheck"
_numbers = itertools.count(1)


def find_bindir() -> Path | None:
    """A folder holding ``initdb``, ``pg_ctl`` and ``postgres``, or None."""
    candidates: list[Path] = []
    if os.environ.get(ENV_BINDIR):
        candidates.append(Path(os.environ[ENV_BINDIR]))
    if shutil.which("pg_config"):
        done = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=False)
        candidates.append(Path(done.stdout.strip()))
    versions = Path("/usr/lib/postgresql").glob("*/bin")
    candidates += sorted(versions, key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0, reverse=True)
    if shutil.which("initdb"):
        candidates.append(Path(str(shutil.which("initdb"))).resolve().parent)
    for folder in candidates:
        if all((folder / tool).is_file() for tool in ("initdb", "pg_ctl", "postgres")):
            return folder
    return None


def _owner() -> pwd.struct_passwd | None:
    """The system user to run the server as: None when not root (run as ourselves)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise RuntimeError("running as root and no 'postgres' or 'nobody' user to run PostgreSQL as")


def _run(command: list[str], owner: pwd.struct_passwd | None) -> None:
    if owner is not None:
        command = ["runuser", "-u", owner.pw_name, "--", *command]
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}): {done.stdout}{done.stderr}")


@dataclass
class Cluster:
    """A running private cluster: its folder, binaries and owner, for stopping it."""

    folder: Path
    bindir: Path
    owner: pwd.struct_passwd | None

    @property
    def url(self) -> str:
        """The superuser's URL of the ``postgres`` database, over the Unix socket."""
        return f"postgresql://{SUPERUSER}@/postgres?host={quote(str(self.folder), safe='/')}&port=5432"

    def stop(self) -> None:
        _run([str(self.bindir / "pg_ctl"), "stop", "-D", str(self.folder / "data"), "-m", "immediate"], self.owner)
        shutil.rmtree(self.folder, ignore_errors=True)


def start_cluster(bindir: Path) -> Cluster:
    """initdb and start a cluster in a new temporary folder; durability is off (throwaway data)."""
    owner = _owner()
    folder = Path(tempfile.mkdtemp(prefix="crosscheck-pg-"))
    if owner is not None:
        os.chown(folder, owner.pw_uid, owner.pw_gid)
    data = folder / "data"
    _run([str(bindir / "initdb"), "-D", str(data), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8", "--locale=C"], owner)
    options = f"-k {folder} -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    cluster = Cluster(folder, bindir, owner)
    try:
        _run([str(bindir / "pg_ctl"), "start", "-w", "-D", str(data), "-l", str(folder / "log"), "-o", options], owner)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return cluster


def database_url(admin_url: str, name: str) -> str:
    """``admin_url`` with its database replaced by ``name``."""
    parts = urlsplit(admin_url)
    return parts._replace(path=f"/{name}").geturl()


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    """A URL on a server where the tests may create databases: ``CROSSCHECK_TEST_POSTGRES`` or a private one."""
    if os.environ.get(ENV_URL):
        yield os.environ[ENV_URL]
        return
    bindir = find_bindir()
    if bindir is None:
        pytest.skip(f"no PostgreSQL server binaries found (install postgresql, or set {ENV_URL} or {ENV_BINDIR})")
    cluster = start_cluster(bindir)
    try:
        yield cluster.url
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def new_postgres_db(postgres_admin_url: str) -> Iterator[Callable[[], str]]:
    """Makes empty databases on the test server (dropped at the end of the session); returns their URLs."""
    made: list[str] = []

    def make() -> str:
        name = f"crosscheck_test_{os.getpid()}_{next(_numbers)}"
        with psycopg.connect(postgres_admin_url, autocommit=True) as admin:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        made.append(name)
        return database_url(postgres_admin_url, name)

    yield make
    with psycopg.connect(postgres_admin_url, autocommit=True) as admin:
        for name in made:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture
def pg_url(new_postgres_db: Callable[[], str]) -> str:
    """The URL of a new, empty PostgreSQL database for one test."""
    return new_postgres_db()
