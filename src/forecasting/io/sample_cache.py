"""The store built from the bundled sample (``data/sample/``), cached in
:func:`forecasting.paths.cache_dir`.

Rebuilt when a sample file is added, removed or changed: each file's size and mtime are checked
first and its sha256 only when they moved (so ``git checkout`` touching mtimes does not force a
rebuild). The build runs under a file lock and writes to a temporary file renamed into place, so
parallel test workers and notebooks never see a half-built store.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from forecasting.io.store import Store, build_store


def _sample_files(sample_dir: Path) -> list[Path]:
    from forecasting.io import expand_paths

    return expand_paths([sample_dir])


def _fingerprint(files: Iterable[Path], root: Path, known: dict[str, Any]) -> dict[str, Any]:
    """Size, mtime and sha256 of each file; the hash is reused when size and mtime match."""
    out: dict[str, Any] = {}
    for f in files:
        st = f.stat()
        rel = f.relative_to(root).as_posix()
        old = known.get(rel)
        if old and old["size"] == st.st_size and old["mtime"] == st.st_mtime_ns:
            out[rel] = old
        else:
            digest = hashlib.sha256(f.read_bytes()).hexdigest()
            out[rel] = {"size": st.st_size, "mtime": st.st_mtime_ns, "sha256": digest}
    return out


def _same_content(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return a.keys() == b.keys() and all(a[k]["sha256"] == b[k]["sha256"] for k in a)


def sample_store(sample_dir: Path | None = None) -> Store:
    """The store built from the bundled sample, rebuilt when the sample changed."""
    from forecasting.paths import SAMPLE_DIR, cache_dir

    sample_dir = Path(sample_dir or SAMPLE_DIR)
    cache = cache_dir()
    db, meta_path = cache / "sample_store.duckdb", cache / "sample_store.json"
    with open(cache / "sample_store.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            known = json.loads(meta_path.read_text()) if meta_path.exists() else {}
        except (OSError, ValueError):
            known = {}
        files = _sample_files(sample_dir)
        current = _fingerprint(files, sample_dir, known.get("files", {}))
        if (
            db.exists()
            and known.get("root") == str(sample_dir)
            and _same_content(current, known.get("files", {}))
        ):
            if current != known.get("files"):  # only mtimes moved: remember them
                meta_path.write_text(json.dumps({"root": str(sample_dir), "files": current}))
            return Store(db)
        tmp = cache / f"sample_store.{os.getpid()}.tmp.duckdb"
        tmp.unlink(missing_ok=True)
        try:
            build_store(files, tmp, root=sample_dir)
            os.replace(tmp, db)
        finally:
            tmp.unlink(missing_ok=True)
            Path(str(tmp) + ".wal").unlink(missing_ok=True)
        meta_path.write_text(json.dumps({"root": str(sample_dir), "files": current}))
    return Store(db)
