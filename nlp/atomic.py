"""Outputs written whole: a file or folder appears complete, or the previous one stays.

Every ``-o`` of the CLI goes through here. ``atomic_file(path)`` hands out a fresh name beside
``path`` (same folder, so the same filesystem) and ``os.replace``-s it over ``path`` only when the
``with`` block ends normally. ``atomic_folder(path)`` does the same for a folder: the block writes
into ``DIR.tmp-XXXXXXXX``; at the end the new folder is renamed in and the previous one, moved
aside to ``DIR.old-XXXXXXXX``, is removed. A run killed at any point leaves the previous output
(or none) at ``DIR`` and at most a stray ``DIR.tmp-…`` beside it, never a mix of two runs.

A folder output never deletes what govnlp did not write. Each one carries ``.govnlp-output.json``
listing the files of the run. ``DIR`` may be absent, empty, or a folder with that marker; any
other folder is refused (:class:`OutputError`, before any work when the caller checks first with
:func:`check_folder`). In a marked folder the listed files are replaced as a set and every other
entry (a note the user added, say) is carried over into the new folder; when a carried-over entry
has the name of a new output file, nothing is replaced and the new output is left in its
``DIR.tmp-…`` folder, named in the error.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

#: The file in each output folder listing what govnlp wrote there.
MARKER = ".govnlp-output.json"


class OutputError(ValueError):
    """An output that cannot be written without losing someone's files; one line for the CLI."""


def _sibling(path: Path, tag: str) -> Path:
    return path.with_name(f"{path.name}.{tag}-{secrets.token_hex(4)}")


@contextmanager
def atomic_file(path: str | Path) -> Iterator[Path]:
    """Yield a not-yet-existing path beside ``path``; on success it replaces ``path``.

    On an exception the partial file is removed and ``path`` is left as it was. The name is not
    created here, so a writer that insists on a new file (a database) can use it, and the file
    gets the usual permissions (umask), not ``mkstemp``'s 0600.
    """
    path = Path(path)
    if path.is_dir():
        raise OutputError(f"{path} is a folder; give a file name to write")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{secrets.token_hex(4)}")
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def _listed(folder: Path) -> set[str] | None:
    """The files the marker of ``folder`` lists (relative, "/"-separated); None if no valid marker."""
    try:
        data = json.loads((folder / MARKER).read_text(encoding="utf-8"))
        files = data["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return set(files) if isinstance(files, list) and all(isinstance(f, str) for f in files) else None


def check_folder(path: str | Path) -> None:
    """Raise :class:`OutputError` unless ``path`` is absent, an empty folder or a govnlp output."""
    path = Path(path)
    if not path.exists() and not path.is_symlink():
        return
    if not path.is_dir():
        raise OutputError(f"{path} exists and is not a folder")
    if _listed(path) is None and any(path.iterdir()):
        raise OutputError(f"{path} holds files govnlp did not write (no {MARKER}); "
                          "give a new or empty folder")


def _files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                  if p.is_file() or p.is_symlink())


def _foreign(old: Path, listed: set[str]) -> list[str]:
    """Entries of ``old`` not written by govnlp: files not listed, and folders holding none."""
    holding = {p.as_posix() for f in listed for p in Path(f).parents} - {"."}
    out: list[str] = []

    def walk(folder: Path) -> None:
        for entry in sorted(folder.iterdir()):
            rel = entry.relative_to(old).as_posix()
            if rel == MARKER or rel in listed:
                continue
            if rel in holding and entry.is_dir() and not entry.is_symlink():
                walk(entry)
            else:
                out.append(rel)

    walk(old)
    return out


def _merged(old: Path, new: Path, foreign: list[str]) -> list[str]:
    """``foreign`` with each folder that the new output also has opened up into its entries
    (an empty one vanishes): a user's file in ``reports/`` moves, not the whole ``reports/``."""
    out: list[str] = []
    for rel in foreign:
        src, dst = old / rel, new / rel
        if src.is_dir() and not src.is_symlink() and dst.is_dir() and not dst.is_symlink():
            out += _merged(old, new, [f"{rel}/{e.name}" for e in sorted(src.iterdir())])
        else:
            out.append(rel)
    return out


@contextmanager
def atomic_folder(path: str | Path) -> Iterator[Path]:
    """Yield a fresh folder beside ``path`` to write into; on success it becomes ``path``.

    See the module docstring for what happens to an existing ``path``. On an exception the new
    folder is removed and ``path`` is untouched.
    """
    target = Path(os.path.realpath(path))  # a symlinked DIR: the folder it points to
    check_folder(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    while True:
        tmp = _sibling(target, "tmp")
        try:
            os.mkdir(tmp)  # not mkdtemp: the output folder gets the usual 0755-ish mode
            break
        except FileExistsError:
            continue
    try:
        yield tmp
        files = _files(tmp)
        (tmp / MARKER).write_text(json.dumps({"written_by": "govnlp", "files": files},
                                             ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        _install(tmp, target)
    except BaseException as e:
        if tmp.exists() and not getattr(e, "keep_tmp", False):
            shutil.rmtree(tmp)
        raise


def _kept(e: OutputError) -> OutputError:
    e.keep_tmp = True  # the run's work is not thrown away when only installing it failed
    return e


def _install(tmp: Path, target: Path) -> None:
    """Swap ``tmp`` in as ``target``, carrying over what govnlp did not write."""
    try:
        check_folder(target)  # again: the folder may have changed during a long run
    except OutputError as e:
        raise _kept(OutputError(f"{e}; the new output is in {tmp}")) from None
    if not target.exists():
        os.rename(tmp, target)
        return
    listed = _listed(target) or set()
    foreign = _foreign(target, listed)
    foreign = _merged(target, tmp, foreign)
    clash = [rel for rel in foreign if (tmp / rel).exists() or (tmp / rel).is_symlink()]
    if clash:
        raise _kept(OutputError(f"{target / clash[0]} was not written by govnlp and the new "
                                f"output has a file of that name; the new output is in {tmp}"))
    moved: list[str] = []

    def put_back(folder: Path) -> None:
        for rel in moved:
            os.rename(tmp / rel, folder / rel)

    old = _sibling(target, "old")
    try:
        for rel in foreign:  # into the new folder first, so the swap below installs a whole folder
            (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
            os.rename(target / rel, tmp / rel)
            moved.append(rel)
        os.rename(target, old)
    except OSError as err:  # e.g. a mount point, which cannot be renamed
        put_back(target)
        raise _kept(OutputError(f"cannot replace {target} ({err.strerror}); give a folder "
                                f"inside it; the new output is in {tmp}")) from None
    except BaseException:
        put_back(target)
        raise
    try:
        os.rename(tmp, target)
    except BaseException:
        put_back(old)
        os.rename(old, target)
        raise
    shutil.rmtree(old)  # only govnlp's files are left in it
