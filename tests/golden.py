"""The sample's reference outputs: what the weekly commands wrote before a refactor.

``tests/golden/sample_run/`` holds the CSV files of one run of :data:`test_determinism.COMMANDS`
on the bundled sample (gzip; ``history.csv`` by its SHA-256 only, it is large and ingest-side).
A refactor must leave them byte-identical; a change that is meant to move figures (a rule
replaced, a bug fixed) updates them in the same commit and says which figures moved and why:

    python tests/golden.py OUT_FOLDER     # OUT_FOLDER: a run's output folder (see test_determinism)

Float noise across machines is the only tolerance: a number may differ by one unit in its last
printed digit (a value on a rounding boundary), nothing else.
"""

from __future__ import annotations

import gzip
import hashlib
import math
import shutil
import sys
from pathlib import Path

GOLDEN = Path(__file__).parent / "golden" / "sample_run"
#: files compared by hash only (name → file holding the hex digest)
HASHED = ("history.csv",)


def _golden_files() -> dict[str, Path]:
    out = {}
    for p in sorted(GOLDEN.rglob("*")):
        if p.is_file():
            name = str(p.relative_to(GOLDEN))
            out[name.removesuffix(".gz").removesuffix(".sha256")] = p
    return out


def _cells_close(a: str, b: str) -> bool:
    """Two printed decimals one unit apart in their last printed digit (same printed length);
    whole numbers (units, counts) and dates must match exactly."""
    if "." not in a or "." not in b or "e" in (a + b).lower() or len(a) != len(b):
        return False
    try:
        x, y = float(a), float(b)
    except ValueError:
        return False
    if not (math.isfinite(x) and math.isfinite(y)):
        return False
    return abs(x - y) <= 10.0 ** -len(a.split(".")[1]) * 1.000001


def _line_close(a: str, b: str) -> bool:
    ca, cb = a.split(","), b.split(",")
    return len(ca) == len(cb) and all(
        x == y or _cells_close(x, y) for x, y in zip(ca, cb, strict=True)
    )


def golden_differences(out: Path) -> list[str]:
    """What differs between a run's output folder and the reference, one line each."""
    diffs = []
    for name, ref in _golden_files().items():
        path = out / name
        if not path.exists():
            diffs.append(f"{name}: not written")
            continue
        data = path.read_bytes()
        if ref.suffix == ".sha256":
            if hashlib.sha256(data).hexdigest() != ref.read_text().strip():
                diffs.append(f"{name}: differs from the reference (SHA-256)")
            continue
        want = gzip.decompress(ref.read_bytes())
        if data == want:
            continue
        got_lines, want_lines = data.decode().splitlines(), want.decode().splitlines()
        if len(got_lines) != len(want_lines):
            diffs.append(f"{name}: {len(got_lines)} lines, reference {len(want_lines)}")
            continue
        for i, (g, w) in enumerate(zip(got_lines, want_lines, strict=True), start=1):
            if g != w and not _line_close(g, w):
                diffs.append(f"{name} line {i}:\n  reference {w[:160]}\n  now       {g[:160]}")
                break
    return diffs


def update(out: Path) -> None:
    """Replace the reference with the CSV files of the run folder ``out``."""
    shutil.rmtree(GOLDEN, ignore_errors=True)
    for p in sorted(out.rglob("*.csv")):
        name = str(p.relative_to(out))
        target = GOLDEN / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if name in HASHED:
            Path(f"{target}.sha256").write_text(hashlib.sha256(p.read_bytes()).hexdigest() + "\n")
        else:  # mtime 0: the same bytes on every update
            with (
                open(f"{target}.gz", "wb") as fh,
                gzip.GzipFile(fileobj=fh, mode="wb", mtime=0, filename="") as gz,
            ):
                gz.write(p.read_bytes())


if __name__ == "__main__":
    update(Path(sys.argv[1]))
