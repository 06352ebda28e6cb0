"""Report parameters: what each notebook declares, what the user gives, checked before any run.

Every notebook declares its parameters in the cell tagged ``parameters`` (papermill's convention),
as assignments of literals: ``horizon_days = 210``, ``lang = "zh"``, ``store = None``.
:func:`declared_parameters` reads names and defaults with :func:`papermill.inspect_notebook` (no
kernel needed). The user gives values with ``-p name=value`` (YAML scalars) and ``--params FILE.yml``
(a mapping); :func:`resolve_parameters` sends each value to every notebook declaring that name and
checks it against the default's literal type. Papermill itself only warns about unknown names and
injects any type, which would surface as a failure deep inside a notebook after minutes of work;
here both are rejected up front with a one-line :class:`~forecasting.errors.InputError`.

Type rules (the declared default decides): ``int`` takes integers; ``float`` takes integers or
decimals; ``bool`` takes YAML booleans (``true``/``false``); ``list`` takes a YAML list
(``-p skus=[A1,B2]``); ``str`` takes any text given with ``-p`` (so ``-p sku=1001`` stays the
string ``"1001"``) but only strings from a file; a default of ``None`` means "optional, unset" and
takes a plain scalar (text, number, boolean) or null. Dates stay text (``-p as_of=2026-11-22``);
``as_of`` also takes ``latest`` (the store's last complete data day, as in the settings).

Values are data, never code. A value is a plain scalar, a list or a mapping with text keys: YAML
tags that build other objects (``!!set``, ``!!binary``, ``!!timestamp``, ``!!python/…``, local
``!tags``), aliases (``*name``, e.g. a "billion laughs" bomb) and non-finite numbers are refused
with the file, row and parameter named, before any notebook runs. Papermill writes the values into
the notebook; :func:`literal_source` checks that what it writes is a Python literal equal to the
value (:func:`ast.literal_eval`), so no text can turn into code in the injected cell.

Paths: a parameter is a path when it is ``store`` or ``settings`` or its help comment says
``(path)`` (``forecast = None  # daily forecast CSV (path); …``). Notebooks run in their own folder,
so a relative path is made absolute against the caller's working directory before the run.
"""

from __future__ import annotations

import ast
import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from forecasting.errors import InputError
from forecasting.run import parse_as_of

#: Parameters the runner itself sets; a user cannot pass them with ``-p``.
RUNNER_PARAMETERS = ("output_dir",)
#: Parameters every report notebook is expected to declare.
COMMON_PARAMETERS = ("store", "settings", "lang", "as_of", "output_dir")
#: Parameters that are paths whatever their help says (``--store`` / ``--settings``).
PATH_PARAMETERS = ("store", "settings")
#: Words in a parameter's help comment that declare it a path.
PATH_MARKER = "(path)"

_YAML_TAG = "tag:yaml.org,2002:"
#: YAML tags a parameter value may carry: plain scalars, lists and mappings, nothing else.
PLAIN_SCALAR_TAGS = frozenset(_YAML_TAG + t for t in ("str", "int", "float", "bool", "null"))
PLAIN_TAGS = PLAIN_SCALAR_TAGS | {_YAML_TAG + "seq", _YAML_TAG + "map"}


class _TextDatesLoader(yaml.SafeLoader):
    """YAML safe loader that keeps dates and timestamps as text (``2026-11-22`` → str)."""


_TextDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class RawText:
    """A value typed on the command line (``-p name=value``), parsed once the target type is known."""

    text: str


@dataclass(frozen=True)
class FileValue:
    """A value read from a ``--params`` file, with where it was written (for error messages)."""

    value: Any
    file: str
    row: int | None = None  #: 1-based line of the parameter's name in the file


@dataclass(frozen=True)
class NotebookParameter:
    """One parameter declared in a notebook's ``parameters`` cell."""

    name: str
    default: Any  #: the literal default value
    help: str = ""

    @property
    def type_name(self) -> str:
        """Literal type of the default: ``int``, ``float``, ``str``, ``bool``, ``None``, ``list`` …"""
        return "None" if self.default is None else type(self.default).__name__

    @property
    def is_path(self) -> bool:
        """Whether the value is a file or folder path (``store``, ``settings`` or ``(path)``)."""
        return self.name in PATH_PARAMETERS or PATH_MARKER in self.help


def _tag_name(tag: str) -> str:
    """A YAML tag as written in a file: ``tag:yaml.org,2002:set`` → ``!!set``."""
    return "!!" + tag[len(_YAML_TAG) :] if tag.startswith(_YAML_TAG) else tag


def _check_nodes(node: yaml.Node, name: str, file: str | Path | None, seen: set[int]) -> None:
    """Refuse any YAML node that is not a plain scalar, list or text-keyed mapping."""

    def fail(message: str, at: yaml.Node) -> InputError:
        row = at.start_mark.line + 1 if file is not None and at.start_mark is not None else None
        return InputError(f"parameter {name}: {message}", file=file, row=row)

    if id(node) in seen:
        raise fail("YAML aliases (*name) are not allowed; write the value out", node)
    seen.add(id(node))
    if node.tag not in PLAIN_TAGS:
        raise fail(
            f"YAML tag {_tag_name(node.tag)} is not allowed; a parameter is plain text, "
            "a number, a boolean, a list or a mapping",
            node,
        )
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _check_nodes(item, name, file, seen)
    elif isinstance(node, yaml.MappingNode):
        keys: set[str] = set()
        for key, value in node.value:
            _check_nodes(key, name, file, seen)
            if not isinstance(key, yaml.ScalarNode) or key.tag != _YAML_TAG + "str":
                raise fail("mapping keys must be text", key)
            if key.value in keys:
                raise fail(f"key {key.value!r} is given twice", key)
            keys.add(key.value)
            _check_nodes(value, name, file, seen)


def _yaml_error(exc: yaml.YAMLError) -> tuple[str, int | None]:
    """The problem and the 1-based row of a YAML error."""
    mark = getattr(exc, "problem_mark", None)
    return str(getattr(exc, "problem", None) or exc), (mark.line + 1 if mark else None)


def plain_yaml(text: str, name: str = "value", file: str | Path | None = None) -> Any:
    """Parse ``text`` as YAML holding only plain data (dates kept as text).

    The text is composed into YAML nodes first (which builds no objects), every node is checked
    against :data:`PLAIN_TAGS` (no aliases), and only then loaded with the safe loader; the
    result is checked by :func:`check_plain`.

    Parameters
    ----------
    text : str
        YAML text: a ``-p`` value.
    name : str
        The parameter, named in error messages.
    file : path, optional
        The file the text comes from (errors then name it and the row).

    Raises
    ------
    InputError
        Not YAML, a tag such as ``!!set`` / ``!!binary`` / ``!!python/…``, an alias, a
        non-finite number.

    Examples
    --------
    >>> plain_yaml("[US, DE]"), plain_yaml("2026-11-22")
    (['US', 'DE'], '2026-11-22')
    >>> plain_yaml("!!set {a: null}", "skus")
    Traceback (most recent call last):
    forecasting.errors.InputError: parameter skus: YAML tag !!set is not allowed; a parameter is plain text, a number, a boolean, a list or a mapping
    """
    try:
        node = yaml.compose(text, Loader=_TextDatesLoader)  # noqa: S506 - composes, builds nothing
        if node is None:
            return None
        _check_nodes(node, name, file, set())
        value = yaml.load(text, Loader=_TextDatesLoader)  # noqa: S506 - safe loader subclass
    except yaml.YAMLError as exc:
        problem, row = _yaml_error(exc)
        where = "" if file is not None else f" {text!r}"
        raise InputError(
            f"parameter {name}: cannot read value{where} as YAML: {problem}", file=file, row=row
        ) from None
    except RecursionError:
        raise InputError(f"parameter {name}: value nested too deeply", file=file) from None
    check_plain(value, name)
    return value


def parse_yaml_scalar(text: str) -> Any:
    """Parse a ``-p`` value as plain YAML data, keeping dates as text (:func:`plain_yaml`).

    Examples
    --------
    >>> parse_yaml_scalar("90"), parse_yaml_scalar("en"), parse_yaml_scalar("2026-11-22")
    (90, 'en', '2026-11-22')
    >>> parse_yaml_scalar("[US, DE]"), parse_yaml_scalar("true"), parse_yaml_scalar("null")
    (['US', 'DE'], True, None)
    """
    return plain_yaml(text)


def check_plain(value: Any, name: str = "value") -> None:
    """Raise :class:`InputError` unless ``value`` is plain data: None, bool, int, finite float,
    str, or lists / text-keyed dicts of those.

    Examples
    --------
    >>> check_plain({"US": [1, 2.5, "x", None, True]})
    >>> check_plain({"a"}, "skus")
    Traceback (most recent call last):
    forecasting.errors.InputError: parameter skus: a set is not a plain value (text, number, boolean, list or mapping)
    """
    if value is None or isinstance(value, bool | int | str):
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InputError(f"parameter {name}: {value} is not a finite number")
        return
    if isinstance(value, list):
        for item in value:
            check_plain(item, name)
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise InputError(f"parameter {name}: mapping keys must be text, got {key!r}")
            check_plain(item, name)
        return
    raise InputError(
        f"parameter {name}: a {type(value).__name__} is not a plain value "
        "(text, number, boolean, list or mapping)"
    )


def _same(a: Any, b: Any) -> bool:
    """Equal values of the same types all the way down (``1 == True == 1.0`` is not enough)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return bool(a == b)


def literal_source(value: Any, name: str = "value") -> str:
    """The Python source papermill writes for ``value``, checked to be a literal equal to it.

    Papermill's own writer (``PythonTranslator.translate``) makes the injected cell; this checks
    its output with :func:`ast.literal_eval`, so a value can only ever become the same literal.

    Raises
    ------
    InputError
        ``value`` is not plain (:func:`check_plain`) or its source is not that literal.

    Examples
    --------
    >>> print(literal_source('say "hi" \\\\ bye'))
    "say \\"hi\\" \\\\ bye"
    >>> literal_source({"US": [1, 2.5]})
    '{"US": [1, 2.5]}'
    """
    from papermill.translators import PythonTranslator

    check_plain(value, name)
    try:
        source = PythonTranslator.translate(value)
        ok = _same(ast.literal_eval(source), value)
    except (ValueError, SyntaxError, TypeError, RecursionError, MemoryError):
        ok = False
    if not ok:
        raise InputError(f"parameter {name}: the value cannot be written as a Python literal")
    return source


def parse_assignments(items: Sequence[str]) -> dict[str, RawText]:
    """Parse ``-p name=value`` items into ``{name: RawText(value)}`` (later items win).

    Examples
    --------
    >>> parse_assignments(["horizon_days=90", "lang=en"])["lang"]
    RawText(text='en')
    """
    out: dict[str, RawText] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not name.isidentifier():
            raise InputError(f"-p expects name=value, got {item!r}")
        out[name] = RawText(value.strip())
    return out


def read_params_file(path: str | Path) -> dict[str, FileValue]:
    """Read a ``--params`` YAML file: a mapping of parameter name → plain value.

    Every value is checked by :func:`plain_yaml`'s rules before anything is built from it: a YAML
    tag (``!!set``, ``!!binary``, ``!!python/object/apply:…``), an alias, a duplicate name or a
    non-finite number is refused naming the file, the row and the parameter.

    Returns
    -------
    dict of name → :class:`FileValue` (value, file, row), in the file's order.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError("parameters file is not UTF-8 text", file=path) from None
    except OSError as exc:
        raise InputError(f"cannot read parameters file: {exc.strerror}", file=path) from None
    try:
        root = yaml.compose(text, Loader=_TextDatesLoader)  # noqa: S506 - builds nothing
    except yaml.YAMLError as exc:
        problem, row = _yaml_error(exc)
        raise InputError(f"not valid YAML: {problem}", file=path, row=row) from None
    except RecursionError:
        raise InputError("not valid YAML: nested too deeply", file=path) from None
    if root is None:
        return {}
    if not isinstance(root, yaml.MappingNode) or root.tag != _YAML_TAG + "map":
        raise InputError("must be a mapping of parameter name: value", file=path)
    rows: dict[str, int] = {}
    seen: set[int] = set()
    for key, value in root.value:
        row = key.start_mark.line + 1
        if not isinstance(key, yaml.ScalarNode) or key.tag != _YAML_TAG + "str":
            raise InputError("parameter names must be text", file=path, row=row)
        if key.value in rows:
            raise InputError(
                f"parameter {key.value} is given twice (rows {rows[key.value]} and {row})",
                file=path,
                row=row,
            )
        rows[key.value] = row
        _check_nodes(value, key.value, path, seen)
    try:
        data = yaml.load(text, Loader=_TextDatesLoader)  # noqa: S506 - safe loader subclass
    except yaml.YAMLError as exc:  # pragma: no cover - composed above
        problem, row = _yaml_error(exc)
        raise InputError(f"not valid YAML: {problem}", file=path, row=row) from None
    out: dict[str, FileValue] = {}
    for name, value in data.items():
        try:
            check_plain(value, name)
        except InputError as exc:
            raise InputError(exc.message, file=path, row=rows.get(name)) from None
        out[name] = FileValue(value, str(path), rows.get(name))
    return out


def load_params_file(path: str | Path) -> dict[str, Any]:
    """Read a ``--params`` YAML file: a mapping of parameter name → plain value (dates as text).

    The values of :func:`read_params_file` without their rows.
    """
    return {name: given.value for name, given in read_params_file(path).items()}


def declared_parameters(notebook: str | Path) -> dict[str, NotebookParameter]:
    """Parameters declared in the notebook's cell tagged ``parameters``, in order.

    Names, defaults and help come from :func:`papermill.inspect_notebook`; the cell is also parsed
    with :mod:`ast`, so a line papermill cannot read (it skips e.g. a comment holding ``=``) or a
    default that is not a literal raises :class:`InputError` instead of being silently ignored.
    """
    import nbformat
    import papermill

    notebook = Path(notebook)
    out: dict[str, NotebookParameter] = {}
    for name, info in papermill.inspect_notebook(str(notebook)).items():
        try:
            default = ast.literal_eval(info["default"])
        except (ValueError, SyntaxError):
            raise InputError(
                f"parameter {name} = {info['default']} is not a literal; the parameters cell "
                "holds literals only (derive values in the next cell)",
                file=notebook,
            ) from None
        out[name] = NotebookParameter(name, default, info.get("help") or "")
    nb = nbformat.read(notebook, as_version=4)
    cells = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    if cells:
        try:
            names = literal_assignments(cells[0].source)
        except (ValueError, SyntaxError) as exc:
            raise InputError(f"parameters cell: {exc}", file=notebook) from None
        unread = [n for n in names if n not in out]
        if unread:
            raise InputError(
                f"papermill cannot read parameter line(s) {', '.join(unread)} "
                "(keep `name = literal  # comment`, no '=' in the comment)",
                file=notebook,
            )
    return out


def _text_value(text: str, name: str, *, nullable: bool) -> str | None:
    """A ``-p`` value of a text parameter: the text as typed (YAML quotes removed), None for
    ``null`` where ``nullable``; a YAML tag or alias is refused like everywhere else."""
    try:
        node = yaml.compose(text, Loader=_TextDatesLoader)  # noqa: S506 - builds nothing
    except (yaml.YAMLError, RecursionError):
        return text  # text that is not YAML is still text
    if node is None:
        return text
    _check_nodes(node, name, None, set())
    if isinstance(node, yaml.ScalarNode) and node.tag == _YAML_TAG + "str":
        return str(node.value)
    if isinstance(node, yaml.ScalarNode) and node.tag == _YAML_TAG + "null" and nullable:
        return None
    return text


def coerce_value(value: Any, declared: NotebookParameter) -> Any:
    """Convert ``value`` to the type of ``declared``'s default or raise :class:`InputError`.

    A path parameter (:attr:`NotebookParameter.is_path`) takes text (or null) and is made
    absolute against the current working directory.

    Examples
    --------
    >>> coerce_value(RawText("90"), NotebookParameter("horizon_days", 210))
    90
    >>> coerce_value(3, NotebookParameter("z", 1.5))
    3.0
    >>> coerce_value(RawText("1001"), NotebookParameter("sku", "A"))
    '1001'
    """
    name, default = declared.name, declared.default
    if isinstance(value, FileValue):
        value = value.value
    if isinstance(value, RawText):
        if declared.is_path or isinstance(default, str):
            value = _text_value(value.text, name, nullable=declared.is_path)
        else:
            value = plain_yaml(value.text, name) if value.text else ""
    check_plain(value, name)
    if declared.is_path:
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            raise InputError(f"parameter {name} is a path: give a file name, got {value!r}")
        return os.path.abspath(os.path.expanduser(value))
    ok: bool
    if default is None:
        if isinstance(value, list | dict):
            raise InputError(
                f"parameter {name} takes text, a number, a boolean or null (its default is "
                f"None), got {type(value).__name__} {value!r}"
            )
        return value
    if isinstance(default, bool):
        ok = isinstance(value, bool)
    elif isinstance(default, int):
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif isinstance(default, float):
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        value = float(value) if ok else value
    else:
        ok = isinstance(value, type(default))
    if not ok:
        raise InputError(
            f"parameter {name} must be {declared.type_name} like its default "
            f"{default!r}, got {type(value).__name__} {value!r}"
        )
    return value


def resolve_parameters(
    given: Mapping[str, Any], declared: Mapping[str, Mapping[str, NotebookParameter]]
) -> dict[str, dict[str, Any]]:
    """Send each given value to every notebook that declares it, checked and converted.

    Parameters
    ----------
    given : mapping of name → value
        User values: :class:`RawText` from ``-p``, :class:`FileValue` from ``--params`` or plain
        values.
    declared : mapping of notebook name → its :func:`declared_parameters`

    Returns
    -------
    dict of notebook name → {parameter name: value} to inject (only names it declares); every
    value is plain data papermill writes as an equal literal (:func:`literal_source`), path
    parameters are absolute.

    Raises
    ------
    InputError
        A name no notebook declares, a runner-only name, or a value of the wrong type; the
        message names the parameter (and the notebook for a type error, the file and row for a
        value from a ``--params`` file).

    Examples
    --------
    >>> nbs = {"01_x": {"lang": NotebookParameter("lang", "zh")},
    ...        "02_y": {"lang": NotebookParameter("lang", "zh"),
    ...                 "horizon_days": NotebookParameter("horizon_days", 210)}}
    >>> resolve_parameters({"horizon_days": RawText("90"), "lang": RawText("en")}, nbs)
    {'01_x': {'lang': 'en'}, '02_y': {'horizon_days': 90, 'lang': 'en'}}
    """
    known = sorted({name for params in declared.values() for name in params})
    for name, value in given.items():
        where = _where(value)
        if name in RUNNER_PARAMETERS:
            raise InputError(f"parameter {name} is set by the runner (use --out)", **where)
        if name not in known:
            raise InputError(
                f"unknown parameter {name}: no notebook declares it "
                f"(declared: {', '.join(known) or 'none'})",
                **where,
            )
    out: dict[str, dict[str, Any]] = {}
    for notebook, params in declared.items():
        values: dict[str, Any] = {}
        for name, value in given.items():
            if name in params:
                try:
                    values[name] = coerce_value(value, params[name])
                    literal_source(values[name], name)
                except InputError as exc:
                    raise InputError(
                        f"{exc.message} (notebook {notebook})", **_where(value)
                    ) from None
        out[notebook] = values
    _check_common(out)
    return out


def _where(value: Any) -> dict[str, Any]:
    """``file`` / ``row`` keywords of :class:`InputError` for a value from a params file."""
    return {"file": value.file, "row": value.row} if isinstance(value, FileValue) else {}


def _check_common(resolved: Mapping[str, Mapping[str, Any]]) -> None:
    """Check the values of common parameters the runner understands (``lang``, ``as_of``)."""
    from forecasting.reports.i18n import check_lang

    for values in resolved.values():
        if "lang" in values:
            check_lang(values["lang"])
        if values.get("as_of") is not None:
            parse_as_of(values["as_of"])


def literal_assignments(source: str) -> dict[str, Any]:
    """Check a parameters cell's source holds only ``name = literal`` lines; return the values.

    Used by tests of committed notebooks and handy for authors.

    Examples
    --------
    >>> literal_assignments('lang = "zh"  # zh or en\\nstore = None')
    {'lang': 'zh', 'store': None}
    """
    tree = ast.parse(source)
    out: dict[str, Any] = {}
    for node in tree.body:
        target = None
        value = None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value = node.target, node.value
        if not isinstance(target, ast.Name) or value is None:
            raise ValueError(f"line {node.lineno}: only `name = literal` assignments allowed")
        try:
            out[target.id] = ast.literal_eval(value)
        except ValueError:
            raise ValueError(f"line {node.lineno}: {target.id} is not assigned a literal") from None
    return out
