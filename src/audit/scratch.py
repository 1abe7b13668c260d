"""Private scratch folders of a process: made in the temporary folder with mode 0700, named
with a prefix, holding the id of the process that owns them, removed by their owner when
done, and swept by the next process that makes one of the same prefix once their owner no
longer runs (killed before it could remove them).

>>> folder = make("audit-doctest-")
>>> oct(folder.stat().st_mode & 0o777), owner(folder) == os.getpid()
('0o700', True)
>>> remove(folder); folder.exists()
False
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

#: the file that names the owner's process
OWNER = "owner.pid"


def owner(folder: Path) -> int | None:
    """The id of the process that owns ``folder``; None while it is being made, or when it
    is not a scratch folder."""
    try:
        return int((folder / OWNER).read_text())
    except (OSError, ValueError):
        return None


def sweep(prefix: str) -> list[Path]:
    """Remove the scratch folders of ``prefix`` whose owner no longer runs; the ones
    removed. Another user's folders, and folders being made, stay."""
    gone = []
    for folder in Path(tempfile.gettempdir()).glob(f"{prefix}*"):
        pid = owner(folder)
        if pid is None:
            continue
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
            gone.append(folder)
        except PermissionError:
            continue  # another user's process runs: its folder stays
    return gone


def make(prefix: str, name: str | None = None) -> Path:
    """A fresh scratch folder of this process: ``<prefix><name>``, made again if it exists,
    or a new unique one when ``name`` is None. Folders of ``prefix`` left by processes
    that no longer run are removed first."""
    sweep(prefix)
    if name is None:
        folder = Path(tempfile.mkdtemp(prefix=prefix))  # mode 0700
    else:
        folder = Path(tempfile.gettempdir()) / f"{prefix}{name}"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(mode=0o700)
    (folder / OWNER).write_text(str(os.getpid()))
    return folder


def remove(folder: Path) -> None:
    """Delete a scratch folder and all it holds."""
    shutil.rmtree(folder, ignore_errors=True)
