"""House style of every chart: a clean seaborn-based look and a CJK font for Chinese labels.

Chinese labels need a font with CJK glyphs; without one matplotlib draws empty boxes ("tofu") and
warns ``Glyph … missing from font``. The project depends on the PyPI package
``cvttf-notosanscjk-regular``, which ships ``NotoSansCJKtc-Regular.otf`` inside the
``cvttf_NotoSansCJK_Regular`` package folder, so the font is there offline on every install.
:func:`use_house_style` registers it with matplotlib's font manager and puts it in the font family
list: matplotlib (≥ 3.6) falls back glyph by glyph along that list, so Latin text keeps DejaVu Sans
in English reports and Chinese SKU titles still render.

Text from data is shown as it is. SKUs, product titles, file names and shoppers' search terms
(``cheap $$ dog bed``) go into titles, tick labels and legends; matplotlib would parse text between
two ``$`` as mathtext (``$\\frac{1}{0}$`` drawn as a fraction, ``$$`` failing the whole figure), so
the house style sets ``text.parse_math`` to False: every text of every chart, tick labels made at
draw time included, is plain text. This is one setting instead of escaping each label at each call
site, where one forgotten categorical axis or legend would break a report again.

Chart functions draw with the current ``rcParams``; notebooks call ``use_house_style(lang)`` once
at the top. Charts are built on :class:`matplotlib.figure.Figure` directly (not ``pyplot``), so they
are never shown twice, never kept open and never trigger the "more than 20 figures" warning; under
IPython :func:`use_house_style` registers a PNG formatter so a returned Figure displays inline even
with ``MPLBACKEND=Agg`` (papermill runs).
"""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path

import matplotlib as mpl
from matplotlib import font_manager
from matplotlib import style as mpl_style
from matplotlib.axes import Axes
from matplotlib.figure import Figure

#: Package holding the bundled CJK font (PyPI ``cvttf-notosanscjk-regular``).
CJK_FONT_PACKAGE = "cvttf_NotoSansCJK_Regular"
#: The Latin font that ships with matplotlib (always there).
LATIN_FONT = "DejaVu Sans"
#: One colour per marketplace, the same in every chart.
MARKETPLACE_COLORS = {
    "US": "#1f5fa8",
    "DE": "#d08a1c",
    "JP": "#b8323a",
    "UK": "#5b8e3e",
    "FR": "#7a5aa6",
    "IT": "#3f9a9a",
    "ES": "#a8683f",
    "CA": "#8c8c8c",
}
#: Accent colours: good / warning / bad / neutral.
GOOD, WARN, BAD, NEUTRAL = "#3b8b5a", "#d9a227", "#c0392b", "#8c8c8c"
#: The base matplotlib style sheet (seaborn's whitegrid look, bundled with matplotlib).
BASE_STYLE = "seaborn-v0_8-whitegrid"


def cjk_font_path() -> Path:
    """Path of the bundled CJK font file (``NotoSansCJKtc-Regular.otf``).

    Returns
    -------
    Path
        The ``.otf``/``.ttf``/``.ttc`` file inside the ``cvttf_NotoSansCJK_Regular`` package.

    Raises
    ------
    FileNotFoundError
        If the package is installed without its font file (reinstall it).
    """
    folder = resources.files(CJK_FONT_PACKAGE)
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.lower().endswith((".otf", ".ttf", ".ttc")):
            return Path(str(entry))
    raise FileNotFoundError(
        f"no font file in package {CJK_FONT_PACKAGE}; reinstall cvttf-notosanscjk-regular"
    )


@functools.cache
def register_cjk_font() -> str:
    """Register the bundled CJK font with matplotlib (once per process); return its family name.

    Returns
    -------
    str
        The family name to use in ``rcParams["font.family"]`` (``"Noto Sans CJK TC"``).
    """
    path = cjk_font_path()
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def house_rc(lang: str = "zh") -> dict[str, object]:
    """The ``rcParams`` of the house style for ``lang`` (``"zh"`` or ``"en"``).

    The font family is a fallback list: CJK first for Chinese reports, Latin first for English
    ones (Chinese product titles still render from the second font).
    """
    cjk = register_cjk_font()
    family = [cjk, LATIN_FONT] if lang == "zh" else [LATIN_FONT, cjk]
    return {
        "font.family": family,
        "axes.unicode_minus": False,
        "figure.dpi": 100,
        "savefig.dpi": 100,
        "figure.figsize": (9.0, 4.0),
        "axes.titlesize": 12,
        # the CJK font has one weight: bold titles would log "findfont: Failed to find font
        # weight bold" and fall back anyway, so titles are regular weight in both languages
        "axes.titleweight": "normal",
        "figure.titleweight": "normal",
        "axes.labelsize": 10,
        "xtick.labelsize": 9,
        "ytick.labelsize": 9,
        "legend.fontsize": 9,
        "legend.frameon": False,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.prop_cycle": mpl.cycler(color=list(MARKETPLACE_COLORS.values())),
        "svg.fonttype": "none",
        # labels come from data (SKUs, search terms): plain text, never mathtext ("$$" …)
        "text.parse_math": False,
    }


def use_house_style(lang: str = "zh") -> None:
    """Apply the house style globally: seaborn whitegrid look, CJK font, PNG display in IPython.

    Parameters
    ----------
    lang : {"zh", "en"}
        Report language; decides which font comes first in the fallback list.

    Examples
    --------
    >>> use_house_style("en")
    >>> import matplotlib as mpl
    >>> mpl.rcParams["axes.unicode_minus"]
    False
    """
    mpl_style.use(BASE_STYLE)
    mpl.rcParams.update(house_rc(lang))
    _register_ipython_png()


def _register_ipython_png() -> None:
    """Let IPython display a bare :class:`Figure` as an inline PNG (no-op outside IPython)."""
    try:
        from IPython import get_ipython
        from IPython.core.pylabtools import print_figure
    except ImportError:  # pragma: no cover - IPython is a dependency of ipykernel
        return
    shell = get_ipython()
    if shell is None:
        return
    png = shell.display_formatter.formatters["image/png"]
    png.for_type(Figure, lambda fig: print_figure(fig, "png", bbox_inches="tight"))


def new_axes(
    ax: Axes | None = None, *, figsize: tuple[float, float] | None = None
) -> tuple[Figure, Axes]:
    """The figure and axes a chart draws on: ``ax``'s own, or a new pyplot-free figure.

    Parameters
    ----------
    ax : Axes, optional
        Draw into this axes (its figure is returned).
    figsize : (float, float), optional
        Size in inches of a new figure; default ``rcParams["figure.figsize"]``.
    """
    if ax is not None:
        return ax.figure, ax  # type: ignore[return-value]
    fig = Figure(figsize=figsize, layout="constrained")
    return fig, fig.add_subplot()
