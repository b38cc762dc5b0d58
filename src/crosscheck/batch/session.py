"""The Spark session of a batch run: found or started, configured for crosscheck's Python workers, kept quiet."""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
import tempfile
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

TASK_THREADS_ENV = "CROSSCHECK_TASK_THREADS"


def spark_unavailable() -> str | None:
    """Why Spark cannot run here (pyspark, pandas/pyarrow or Java missing), or None when it can."""
    for module, package in (("pyspark", "pyspark"), ("pandas", "pandas"), ("pyarrow", "pyarrow")):
        if importlib.util.find_spec(module) is None:
            return f"{package} is not installed (pip install {package})"
    java_home = os.environ.get("JAVA_HOME")
    if not (java_home and os.path.exists(os.path.join(java_home, "bin", "java"))) and shutil.which("java") is None:
        return "no Java runtime found (install Java 17 or set JAVA_HOME)"
    return None


LOCAL_DRIVER_MEMORY = "6g"


def spark_session(
    master: str | None = None,
    *,
    partitions: int | None = None,
    task_threads: int = 1,
    arrow_batch: int = 256,
    conf: dict[str, str] | None = None,
) -> SparkSession:
    """The active Spark session, or a new one on ``master``.

    Without ``master``: the one spark-submit configured, else ``local[*]``. An already active session is reused
    as it is (a notebook, a test fixture): its settings win.
    """
    # Workers run this interpreter unless told otherwise: locally it is the one with crosscheck and the models
    # installed; on a cluster spark-submit sets PYSPARK_PYTHON to the shipped environment (docs/batch.md).
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    builder = SparkSession.builder.appName("crosscheck-batch")
    if master is None and "PYSPARK_GATEWAY_PORT" not in os.environ:  # not launched by spark-submit
        master = "local[*]"
    if master:
        builder = builder.master(master)
    settings = {
        "spark.ui.showConsoleProgress": "false",
        # One Arrow batch is one model batch, the size the single-machine ingest uses.
        "spark.sql.execution.arrow.maxRecordsPerBatch": str(arrow_batch),
        "spark.python.worker.reuse": "true",  # the models stay loaded from one task to the next
        f"spark.executorEnv.{TASK_THREADS_ENV}": str(task_threads),
        "spark.sql.shuffle.partitions": str(partitions or 8),
        # Errors only, from the first line: setLogLevel comes too late for the start-up warnings.
        "spark.driver.extraJavaOptions": f"-Dlog4j2.configurationFile=file:{_log4j_file()}",
    }
    if master and master.startswith("local"):
        # In local mode the driver's JVM is the executor too: its heap holds the cached features of the whole
        # run and the partitions streamed to the writer. Spark's 1 GB default lost a streamed partition on the
        # whole abp corpus (37,554 articles); memory the JVM does not touch is not taken.
        settings["spark.driver.memory"] = LOCAL_DRIVER_MEMORY
    settings.update(conf or {})
    for key, value in settings.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    quiet(session)
    return session


_LOG4J = """rootLogger.level = error
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n
"""


def _log4j_file() -> str:
    path = os.path.join(tempfile.gettempdir(), "crosscheck-spark-log4j2.properties")
    if not os.path.exists(path):
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(_LOG4J)
    return path


def quiet(session: SparkSession) -> None:
    """Only errors from Spark's own log (log4j); crosscheck reports progress itself."""
    session.sparkContext.setLogLevel("ERROR")


def default_parallelism(session: SparkSession) -> int:
    """How many tasks the cluster runs at once (cores over all executors)."""
    return max(1, int(session.sparkContext.defaultParallelism))
