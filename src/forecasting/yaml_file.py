"""Hand-written YAML files (settings …) read safely: bounded, plain, every key's line known.

``yaml.safe_load`` runs no code, but it still accepts what a hand-written file should not hold:
tags that build other types (``!!set``, ``!!binary``), a key repeated in one mapping (the last one
silently wins), bytes that are not UTF-8, and anchors and aliases nested into a "billion laughs"
document: a few KB that expand to hundreds of millions of values, which whatever walks the result
then expands (the old settings loader needed 2.7 GB and 110 s before a MemoryError). DESIGN:
:func:`read_yaml` composes the node graph first, measures it with aliases expanded (linear in its
distinct nodes) and refuses it before any Python object is built; it also returns the line of every
key so errors about a value can name its line. Every refusal is one :class:`InputError` naming the
file and, where known, the line.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from forecasting.errors import InputError

#: a hand-written YAML file is a few KB; a bigger one is the wrong file (and is not read in)
MAX_FILE_BYTES = 1 << 20
#: values (keys included) once anchors and aliases are expanded; the sample settings have 496
MAX_YAML_NODES = 20_000
#: nesting depth of the document (the sample settings nest 5 deep)
MAX_YAML_DEPTH = 20
_PLAIN_TAGS = {
    f"tag:yaml.org,2002:{t}"
    for t in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map", "merge")
}
_TOO_DEEP = f"nested deeper than {MAX_YAML_DEPTH} levels (or an alias inside its own anchor)"


def line_of(path: str, lines: Mapping[str, int]) -> int | None:
    """The 1-based line of key path ``path`` in the file, else of its nearest enclosing key.

    Parameters
    ----------
    path : str
        A key path such as ``factory.lines[2].efficiency``.
    lines : mapping
        Key path → line, as :func:`read_yaml` returns it.

    Returns
    -------
    int or None
        None when no enclosing key has a line (an empty map, a document from Python).

    Examples
    --------
    >>> line_of("factory.lines[2].efficency", {"factory": 90, "factory.lines[2]": 97})
    97
    """
    while True:
        if path in lines:
            return lines[path]
        if not path:
            return None
        cut = max(path.rfind("."), path.rfind("["))
        path = path[: max(cut, 0)]


def _check_document(root: yaml.Node, file: Path, what: str) -> dict[str, int]:
    """Refuse oversized (alias-expanded), too deep, tagged or duplicate-key documents.

    Returns key path → line (1-based) of every key and list item.
    """
    sizes: dict[int, int] = {}

    def size(node: yaml.Node, depth: int) -> int:
        if id(node) in sizes:
            return sizes[id(node)]
        if depth > MAX_YAML_DEPTH:
            raise InputError(_TOO_DEEP, file=file, row=_row(node))
        children = (
            [v for kv in node.value for v in kv]
            if isinstance(node, yaml.MappingNode)
            else node.value
            if isinstance(node, yaml.SequenceNode)
            else []
        )
        total = 1
        for child in children:
            total += size(child, depth + 1)
            if total > MAX_YAML_NODES:
                break
        sizes[id(node)] = total
        return total

    n = size(root, 0)
    if n > MAX_YAML_NODES:
        raise InputError(
            f"the YAML expands to more than {MAX_YAML_NODES:,} values (anchors and aliases "
            f"repeated inside each other); a {what} file has a few hundred",
            file=file,
        )
    lines: dict[str, int] = {}
    stack: list[tuple[yaml.Node, str]] = [(root, "")]
    while stack:
        node, path = stack.pop()
        if node.tag not in _PLAIN_TAGS:
            raise InputError(
                f"tag {node.tag.replace('tag:yaml.org,2002:', '!!')} is not allowed: a {what} "
                "file holds plain values, lists and mappings",
                file=file,
                row=_row(node),
                key=path or None,
            )
        if isinstance(node, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key, value in node.value:
                k = str(key.value) if isinstance(key, yaml.ScalarNode) else "?"
                if key.tag == "tag:yaml.org,2002:merge":
                    stack.append((value, path))
                    continue
                child = f"{path}.{k}".lstrip(".")
                if k in seen:
                    raise InputError(
                        f"key '{k}' appears twice in one mapping (also line {seen[k]})",
                        file=file,
                        row=_row(key),
                        key=child,
                    )
                seen[k] = _row(key)
                lines.setdefault(child, _row(key))
                stack.append((value, child))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                lines.setdefault(f"{path}[{i}]", _row(item))
                stack.append((item, f"{path}[{i}]"))
    return lines


def _row(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _read_text(p: Path, what: str) -> str:
    with p.open("rb") as fh:
        data = fh.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise InputError(
            f"larger than {MAX_FILE_BYTES >> 10} KB; a {what} file is a few KB of YAML "
            "(is this the right file?)",
            file=p,
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = data[: exc.start].count(b"\n") + 1
        try:
            data.decode("gb18030")
            guess = "it looks GB18030/GBK-encoded; "
        except UnicodeDecodeError:
            guess = ""
        raise InputError(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x}): {guess}save it as UTF-8",
            file=p,
            row=row,
        ) from None


def read_yaml(path: str | Path, *, what: str = "settings") -> tuple[Any, dict[str, int]]:
    """The document in a UTF-8 YAML file and the line of each key path.

    Parameters
    ----------
    path : str or Path
        A file of at most :data:`MAX_FILE_BYTES` bytes.
    what : str
        What the file is, for messages (``"settings"``).

    Returns
    -------
    (object, dict)
        The document (``None`` if empty) and ``{"factory.lines[2].efficiency": 97, …}``: the
        1-based line of every mapping key and list item.

    Raises
    ------
    InputError
        Naming the file and the line: not a file, too large, not UTF-8, not YAML (incl. control
        characters and several documents), a tag, a repeated key, more than
        :data:`MAX_YAML_NODES` values with aliases expanded or deeper than :data:`MAX_YAML_DEPTH`.
    """
    p = Path(path)
    if not p.exists():
        raise InputError(f"{what} file not found", file=p)
    if not p.is_file():
        raise InputError(f"not a file (a {what} file is one YAML file)", file=p)
    text = _read_text(p, what)
    loader = None
    try:
        loader = yaml.SafeLoader(text)  # already reads: refuses control characters such as NUL
        node = loader.get_single_node()
        lines = _check_document(node, p, what) if node is not None else {}
        return (loader.construct_document(node) if node is not None else None), lines
    except yaml.reader.ReaderError as exc:
        raise InputError(
            f"not valid YAML: character #x{exc.character:04x} is not allowed in a text file",
            file=p,
            row=text[: exc.position].count("\n") + 1,
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(
            f"not valid YAML: {getattr(exc, 'problem', None) or exc}",
            file=p,
            row=(mark.line + 1) if mark else None,
        ) from None
    except RecursionError:
        raise InputError(_TOO_DEEP, file=p) from None
    finally:
        if loader is not None:
            loader.dispose()
