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
takes any value (the notebook's next cell validates it). Dates stay text (``-p as_of=2026-11-22``).
"""

from __future__ import annotations

import ast
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from forecasting.errors import InputError

#: Parameters the runner itself sets; a user cannot pass them with ``-p``.
RUNNER_PARAMETERS = ("output_dir",)
#: Parameters every report notebook is expected to declare.
COMMON_PARAMETERS = ("store", "settings", "lang", "as_of", "output_dir")


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
class NotebookParameter:
    """One parameter declared in a notebook's ``parameters`` cell."""

    name: str
    default: Any  #: the literal default value
    help: str = ""

    @property
    def type_name(self) -> str:
        """Literal type of the default: ``int``, ``float``, ``str``, ``bool``, ``None``, ``list`` …"""
        return "None" if self.default is None else type(self.default).__name__


def parse_yaml_scalar(text: str) -> Any:
    """Parse a value as YAML, keeping dates as text.

    Examples
    --------
    >>> parse_yaml_scalar("90"), parse_yaml_scalar("en"), parse_yaml_scalar("2026-11-22")
    (90, 'en', '2026-11-22')
    >>> parse_yaml_scalar("[US, DE]"), parse_yaml_scalar("true"), parse_yaml_scalar("null")
    (['US', 'DE'], True, None)
    """
    try:
        return yaml.load(text, Loader=_TextDatesLoader)  # noqa: S506 - safe loader subclass
    except yaml.YAMLError as exc:
        raise InputError(f"cannot read value {text!r} as YAML: {exc.problem}") from None


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


def load_params_file(path: str | Path) -> dict[str, Any]:
    """Read a ``--params`` YAML file: a mapping of parameter name → value (dates kept as text)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read parameters file: {exc.strerror}", file=path) from None
    try:
        data = yaml.load(text, Loader=_TextDatesLoader)  # noqa: S506 - safe loader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        raise InputError(
            f"not valid YAML: {getattr(exc, 'problem', exc)}", file=path, row=row
        ) from None
    if data is None:
        return {}
    if not isinstance(data, dict) or not all(isinstance(k, str) for k in data):
        raise InputError("must be a mapping of parameter name: value", file=path)
    return data


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


def coerce_value(value: Any, declared: NotebookParameter) -> Any:
    """Convert ``value`` to the type of ``declared``'s default or raise :class:`InputError`.

    Examples
    --------
    >>> coerce_value(RawText("90"), NotebookParameter("horizon_days", 210))
    90
    >>> coerce_value(3, NotebookParameter("z", 1.5))
    3.0
    >>> coerce_value(RawText("1001"), NotebookParameter("sku", "A"))
    '1001'
    """
    default = declared.default
    if isinstance(value, RawText):
        parsed = parse_yaml_scalar(value.text) if value.text else ""
        if isinstance(default, str):
            return parsed if isinstance(parsed, str) else value.text
        value = parsed
    if default is None:
        return value
    ok: bool
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
            f"parameter {declared.name} must be {declared.type_name} like its default "
            f"{default!r}, got {type(value).__name__} {value!r}",
            column=declared.name,
        )
    return value


def resolve_parameters(
    given: Mapping[str, Any], declared: Mapping[str, Mapping[str, NotebookParameter]]
) -> dict[str, dict[str, Any]]:
    """Send each given value to every notebook that declares it, checked and converted.

    Parameters
    ----------
    given : mapping of name → value
        User values: :class:`RawText` from ``-p`` or YAML values from ``--params``.
    declared : mapping of notebook name → its :func:`declared_parameters`

    Returns
    -------
    dict of notebook name → {parameter name: value} to inject (only names it declares).

    Raises
    ------
    InputError
        A name no notebook declares, a runner-only name, or a value of the wrong type; the
        message names the parameter (and the notebook for a type error).

    Examples
    --------
    >>> nbs = {"01_x": {"lang": NotebookParameter("lang", "zh")},
    ...        "02_y": {"lang": NotebookParameter("lang", "zh"),
    ...                 "horizon_days": NotebookParameter("horizon_days", 210)}}
    >>> resolve_parameters({"horizon_days": RawText("90"), "lang": RawText("en")}, nbs)
    {'01_x': {'lang': 'en'}, '02_y': {'horizon_days': 90, 'lang': 'en'}}
    """
    known = sorted({name for params in declared.values() for name in params})
    for name in given:
        if name in RUNNER_PARAMETERS:
            raise InputError(f"parameter {name} is set by the runner (use --out)", column=name)
        if name not in known:
            raise InputError(
                f"unknown parameter {name}: no notebook declares it "
                f"(declared: {', '.join(known) or 'none'})",
                column=name,
            )
    out: dict[str, dict[str, Any]] = {}
    for notebook, params in declared.items():
        values: dict[str, Any] = {}
        for name, value in given.items():
            if name in params:
                try:
                    values[name] = coerce_value(value, params[name])
                except InputError as exc:
                    raise InputError(f"{exc.message} (notebook {notebook})", column=name) from None
        out[notebook] = values
    _check_common(out)
    return out


def _check_common(resolved: Mapping[str, Mapping[str, Any]]) -> None:
    """Check the values of common parameters the runner understands (``lang``, ``as_of``)."""
    from forecasting.reports.i18n import check_lang

    for values in resolved.values():
        if "lang" in values:
            check_lang(values["lang"])
        if values.get("as_of") is not None:
            parse_as_of(values["as_of"])


def parse_as_of(value: Any) -> dt.date:
    """An ``as_of`` parameter as a date (ISO text ``YYYY-MM-DD`` or a date)."""
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise InputError(
            f"as_of must be a date YYYY-MM-DD, got {value!r}", column="as_of"
        ) from None


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


def report_settings(settings: Any, as_of: Any = None, store: Any = None) -> Any:
    """The settings a report runs on: loaded, with the ``as_of`` parameter applied, and
    ``as_of: latest`` resolved from the store (:func:`forecasting.config.resolve_as_of`).

    Parameters
    ----------
    settings : Settings, path or None
        Settings or a settings YAML; None = the sample settings.
    as_of : str or date, optional
        The report's ``as_of`` parameter (``YYYY-MM-DD``); wins over the settings.
    store : store, path or None
        Where ``latest`` is looked up (``open_store(store)``; None = the sample store).
    """
    import dataclasses

    from forecasting.config import Settings, load_settings, resolve_as_of

    cfg = settings if isinstance(settings, Settings) else load_settings(settings)
    if as_of is not None:
        return dataclasses.replace(cfg, as_of=parse_as_of(as_of))
    if cfg.as_of is None:
        from forecasting.io.store import Store, open_store

        cfg = resolve_as_of(cfg, store if isinstance(store, Store) else open_store(store))
    return cfg
