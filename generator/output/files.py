"""Files written whole or not at all: a failed build never damages the previous output."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from generator.core.errors import InputError, Problem


def save_atomically(data: bytes, target: Path) -> None:
    """Write `data` to `target` through a temporary file in the same folder."""
    tmp_name = None
    try:
        with tempfile.NamedTemporaryFile(dir=target.parent, prefix=f".{target.stem}.",
                                         suffix=".tmp", delete=False) as tmp:
            tmp_name = tmp.name
            tmp.write(data)
            tmp.flush()
            os.fsync(tmp.fileno())
        move_into_place(Path(tmp_name), target)
    except InputError:
        raise
    except OSError as exc:
        raise InputError(Problem(f"cannot write the file: {exc.strerror}", file=target,
                                 hint="the previous file is unchanged")) from None
    finally:
        if tmp_name and os.path.exists(tmp_name):
            os.unlink(tmp_name)


def move_into_place(made: Path, target: Path) -> None:
    """Rename a finished file `made` (in `target`'s folder) to `target`, replacing it."""
    try:
        os.chmod(made, 0o644)
        os.replace(made, target)
    except PermissionError:
        raise InputError(Problem(
            "cannot replace it: the file is locked or read-only", file=target,
            hint="close it in PowerPoint (or another program) and build again; "
                 "the previous file is unchanged")) from None
    except OSError as exc:
        raise InputError(Problem(f"cannot write the file: {exc.strerror}", file=target,
                                 hint="the previous file is unchanged")) from None
