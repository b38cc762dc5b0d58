"""Story clustering: embed → weigh terms → find candidates → assign incrementally."""

from crosscheck.clustering.clusterer import ArticleFeatures, Assignment, Clusterer
from crosscheck.clustering.embed import Embedder, MiniLMEmbedder
from crosscheck.clustering.index import StoryIndex
from crosscheck.clustering.lexical import TermWeighter

__all__ = [
    "ArticleFeatures",
    "Assignment",
    "Clusterer",
    "Embedder",
    "MiniLMEmbedder",
    "StoryIndex",
    "TermWeighter",
]
