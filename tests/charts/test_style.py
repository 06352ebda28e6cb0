"""House style: the bundled CJK font renders Chinese labels without tofu or font warnings."""

from __future__ import annotations

import io
import logging
import warnings

import matplotlib as mpl
import pytest
from matplotlib import font_manager

from forecasting.charts import style


def _render(lang: str, title: str) -> bytes:
    style.use_house_style(lang)
    fig, ax = style.new_axes()
    ax.plot([1, 2, 3], [-1, 0, 2], label="美国站 US")
    ax.set_title(title)
    ax.set_xlabel("周 week")
    ax.set_ylabel("断货天数 −1")
    ax.legend()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def test_cjk_font_is_bundled_and_registered() -> None:
    path = style.cjk_font_path()
    assert path.suffix.lower() in {".otf", ".ttf", ".ttc"}
    assert path.stat().st_size > 1_000_000
    name = style.register_cjk_font()
    assert name in {f.name for f in font_manager.fontManager.ttflist}
    # the font really has the glyphs of the labels we use
    font = font_manager.get_font(str(path))
    assert all(font.get_char_index(ord(ch)) for ch in "断货天数每周站点缺失日期")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_chinese_labels_render_without_glyph_warnings(
    lang: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="matplotlib.font_manager")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("error")
        png = _render(lang, "每周断货的 SKU·天 (stockout SKU-days)")
    assert png.startswith(b"\x89PNG")
    assert not [w for w in caught if "Glyph" in str(w.message)]
    # matplotlib logs (not warns) a missing family or weight: "findfont: Failed to find …"
    assert not [r for r in caplog.records if "findfont" in r.getMessage()]
    assert mpl.rcParams["axes.unicode_minus"] is False


def test_font_order_follows_language() -> None:
    style.use_house_style("zh")
    assert mpl.rcParams["font.family"][0] == style.register_cjk_font()
    style.use_house_style("en")
    assert mpl.rcParams["font.family"][0] == style.LATIN_FONT
    assert style.register_cjk_font() in mpl.rcParams["font.family"]


def test_glyph_warning_would_be_caught_without_the_cjk_font() -> None:
    # the check above can fail: with only DejaVu Sans, Chinese glyphs are missing and warn
    style.use_house_style("en")
    with mpl.rc_context({"font.family": ["DejaVu Sans"]}), pytest.warns(UserWarning, match="Glyph"):
        fig, ax = style.new_axes()
        ax.set_title("断货")
        fig.savefig(io.BytesIO(), format="png")


def test_new_axes_reuses_given_axes() -> None:
    fig, ax = style.new_axes()
    fig2, ax2 = style.new_axes(ax)
    assert fig2 is fig and ax2 is ax
