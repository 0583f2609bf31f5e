"""From what the user named (files, folders, glob patterns) to the files to read, and why not the rest.

Every file below a folder is accounted for: it is either returned to be read, or listed in
``.skipped`` as an :class:`IngestError` with its reason. Nothing is dropped silently:

- a report format (:data:`SUPPORTED_SUFFIXES`: .txt .text .md .html .htm .shtml .docx .rtf .pdf)
  is read;
- .doc/.wps (and their templates) are "legacy Word/WPS file: convert it to .docx (…)";
- any other file is "not a report format (.xls)" (or "(no suffix)");
- hidden files and folders (".name") and Word's lock files ("~$name.docx") are never reports, but
  each is still listed, once: "hidden folder, not searched", "hidden file, not read",
  "Word lock file (~$), not a report" — so a report saved under a hidden name is not lost unseen
  (govnlp's own ``.govnlp-output.json`` in an output folder is the one file not listed);
- a broken symbolic link, a symbolic-link loop, a folder that cannot be listed, a FIFO, socket or
  device: one line each, and the walk goes on;
- a folder named (or matched by a pattern) with no report file below it: "no report files in
  this folder" (an empty subfolder holds nothing to account for, and is not listed).

A file named explicitly is always handed to the reader (which sniffs unknown suffixes), unless
it cannot be opened (missing, loop, not a regular file); a pattern matching nothing is one
skipped line, "no file matches this pattern".
"""
from __future__ import annotations

import errno
import glob
import os
import stat
from pathlib import Path
from typing import Iterable

from nlp.atomic import MARKER as OUTPUT_MARKER
from nlp.ingest.base import IngestError
from nlp.ingest.office import LEGACY_WORD_REASON

__all__ = ["ExpandedPaths", "expand_paths", "path_problem", "SUPPORTED_SUFFIXES", "TEXT_SUFFIXES",
           "HTML_SUFFIXES", "LEGACY_WORD_SUFFIXES"]

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".shtml"})
#: Suffixes read as reports when found in a folder.
SUPPORTED_SUFFIXES: frozenset[str] = TEXT_SUFFIXES | HTML_SUFFIXES | {".docx", ".rtf", ".pdf"}
#: OLE compound documents of Word and WPS Writer (and their templates): no maintained reader.
LEGACY_WORD_SUFFIXES = frozenset({".doc", ".dot", ".wps", ".wpt"})

_KINDS = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"))


class ExpandedPaths(list):
    """The files to read (a plain list of :class:`~pathlib.Path`), with ``skipped``: an
    :class:`IngestError` for every other path met on the way, each with its reason."""

    def __init__(self, files: Iterable[Path] = (), skipped: Iterable[IngestError] = ()) -> None:
        super().__init__(files)
        self.skipped: list[IngestError] = list(skipped)


def _stat_problem(path: str, err: OSError) -> str:
    """One-line reason for a path that cannot be stat'ed (followed through symbolic links)."""
    if err.errno == errno.ELOOP:
        return "symbolic link loop"
    if isinstance(err, FileNotFoundError):
        return "broken symbolic link (its target is missing)" if os.path.islink(path) else "no such file"
    if isinstance(err, PermissionError):
        return "permission denied"
    return f"cannot read: {err.strerror or err}"


def path_problem(path: str | os.PathLike[str]) -> str | None:
    """Why ``path`` cannot be read as one file (None when it is a regular file)."""
    name = os.fspath(path)
    try:
        mode = os.stat(name).st_mode
    except ValueError:  # os functions refuse embedded NUL bytes
        return "invalid file name (contains a NUL byte)"
    except OSError as e:
        return _stat_problem(name, e)
    if stat.S_ISDIR(mode):
        return "is a directory, not a file"
    if not stat.S_ISREG(mode):
        kind = next((label for test, label in _KINDS if test(mode)), "a special file")
        return f"not a regular file ({kind})"
    return None


def _suffix_reason(name: str) -> str | None:
    """Why a file found in a folder is not read, from its name (None: read it)."""
    suffix = os.path.splitext(name)[1].lower()
    if suffix in SUPPORTED_SUFFIXES:
        return None
    if suffix in LEGACY_WORD_SUFFIXES:
        return LEGACY_WORD_REASON
    return f"not a report format ({suffix or 'no suffix'})"


class _Walker:
    """Collects files and skipped entries, each path once, in a stable (sorted) order."""

    def __init__(self) -> None:
        self.files: list[Path] = []
        self.skipped: list[IngestError] = []
        self._seen: set[str] = set()
        self._dirs: set[tuple[int, int]] = set()  # (device, inode) of folders searched: loops

    def _new(self, path: str) -> bool:
        key = os.path.normcase(os.path.abspath(path))
        if key in self._seen:
            return False
        self._seen.add(key)
        return True

    def skip(self, path: str | os.PathLike[str], reason: str) -> None:
        if self._new(os.fspath(path)):
            self.skipped.append(IngestError(path, reason))

    def add_file(self, path: Path) -> None:
        if self._new(os.fspath(path)):
            self.files.append(path)

    def folder(self, root: Path) -> None:
        """Every entry below ``root``; a folder without any report file says so."""
        before = len(self.files)
        self._walk(root)
        if len(self.files) == before:
            self.skipped.append(IngestError(root, "no report files in this folder"))

    def _walk(self, folder: Path) -> None:
        try:
            st = os.stat(folder)
            if (st.st_dev, st.st_ino) in self._dirs:
                self.skip(folder, "symbolic link to a folder already searched (a loop?)")
                return
            self._dirs.add((st.st_dev, st.st_ino))
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as e:
            self.skip(folder, f"folder not searched: {_stat_problem(str(folder), e)}")
            return
        for entry in entries:
            path = folder / entry.name
            try:
                mode = os.stat(entry.path).st_mode  # follows links: a link to a report is read
            except OSError as e:
                self.skip(path, _stat_problem(entry.path, e))
                continue
            hidden = entry.name.startswith(".")
            if stat.S_ISDIR(mode):
                if hidden:
                    self.skip(path, "hidden folder, not searched")
                else:
                    self._walk(path)
            elif entry.name == OUTPUT_MARKER:
                continue  # govnlp's own list of the files it wrote into an output folder
            elif hidden:
                self.skip(path, "hidden file, not read")
            elif entry.name.startswith("~$"):
                self.skip(path, "Word lock file (~$), not a report")
            elif not stat.S_ISREG(mode):
                self.skip(path, path_problem(entry.path) or "not a regular file")
            elif (reason := _suffix_reason(entry.name)) is not None:
                self.skip(path, reason)
            else:
                self.add_file(path)

    def named(self, item: str | os.PathLike[str]) -> None:
        """A path or pattern as the user wrote it."""
        raw = os.fspath(item)
        try:
            p = Path(raw).expanduser()
        except (RuntimeError, ValueError):  # "~nosuchuser"
            p = Path(raw)
        problem = path_problem(p)
        if problem is None:
            self.add_file(p)
        elif problem.startswith("is a directory"):
            self.folder(p)
        elif problem == "no such file" and glob.has_magic(raw):
            matches = sorted(glob.glob(os.fspath(p), recursive=True))
            if not matches:
                self.skip(p, "no file matches this pattern")
            for m in matches:
                mp = Path(m)
                if mp.is_dir():
                    self.folder(mp)
                elif (why := path_problem(mp)) is None:
                    self.add_file(mp)
                else:
                    self.skip(mp, why)
        else:
            self.skip(p, problem)


def expand_paths(inputs: Iterable[str | os.PathLike[str]]) -> ExpandedPaths:
    """Files, folders and glob patterns to a de-duplicated list of files to read, in input order
    (sorted within a folder); every path not returned is in ``result.skipped`` with its reason."""
    walker = _Walker()
    for item in inputs:
        walker.named(item)
    return ExpandedPaths(walker.files, walker.skipped)
