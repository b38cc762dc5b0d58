"""``crosscheck batch``: the ingest pipeline on Apache Spark, for corpora too large for one machine's models.

The executors do the per-article work (reading and extraction, MinHash signatures, entities, embeddings,
figures: nearly all of ingest's time) and the duplicate join; the driver then stores and clusters the prepared
articles in publication order through the same code as ``crosscheck ingest``, so both give the same result.
pyspark (with pandas and pyarrow) is optional: only this package imports it, and only when a run starts.
"""

from crosscheck.batch.run import BatchResult, run_batch
from crosscheck.batch.session import spark_session, spark_unavailable

__all__ = ["BatchResult", "run_batch", "spark_session", "spark_unavailable"]
