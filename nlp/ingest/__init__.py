"""Ingest: report files to text (:mod:`nlp.ingest.readers` is the public face: ``read_file``,
``expand_paths``) and the report's metadata from its text (:mod:`nlp.ingest.metadata`).

The light names are here too: :class:`IngestError`, :class:`Decoded` and ``SOURCE_META_KEYS``."""
from nlp.ingest.base import SOURCE_META_KEYS, Decoded, IngestError

__all__ = ["SOURCE_META_KEYS", "Decoded", "IngestError"]
