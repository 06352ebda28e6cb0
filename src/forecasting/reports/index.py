"""The ``index.html`` of a report run: links to every report, run time, parameters, other files.

A page this small is easier to read as a few lines of escaped HTML than as a template engine set-up;
all text comes from :mod:`forecasting.reports.i18n`, all values are escaped. It is self-contained
(inline CSS, no script) like the reports it links.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING, Any

from forecasting.reports.i18n import t

if TYPE_CHECKING:
    from forecasting.reports.runner import ReportRun

INDEX_NAME = "index.html"

_CSS = """
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", "DejaVu Sans",
       sans-serif; margin: 2em auto; max-width: 1100px; color: #222; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
.meta { color: #555; margin-bottom: 1.5em; }
table { border-collapse: collapse; width: 100%; margin-bottom: 1.5em; }
th, td { text-align: left; padding: 0.45em 0.7em; border-bottom: 1px solid #ddd;
         vertical-align: top; }
th { background: #f3f5f8; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
code { font-size: 0.85em; color: #444; }
code.passed { font-weight: bold; color: #1f5fa8; }
.note { color: #666; font-size: 0.9em; }
.lead { font-size: 1.25em; font-weight: bold; margin: 0.6em 0; }
"""


def _fmt_value(value: Any) -> str:
    return repr(value) if isinstance(value, str) else str(value)


def _params_html(effective: dict[str, Any], passed: dict[str, Any]) -> str:
    items = []
    for name, value in effective.items():
        cls = ' class="passed"' if name in passed else ""
        items.append(f"<code{cls}>{html.escape(name)}={html.escape(_fmt_value(value))}</code>")
    return "<br>".join(items)


def _size(path: Path) -> str:
    size = path.stat().st_size
    if size < 1024:
        return f"{size} B"
    return f"{size / 1024:.0f} KB" if size < 1024**2 else f"{size / 1024**2:.1f} MB"


def _lead_html(run: ReportRun) -> str:
    """The Monday page (notebook ``00_…``) as the page's lead link, when the run has it."""
    lead = next((nb for nb in run.notebooks if nb.name.startswith("00_")), None)
    if lead is None:
        return ""
    return f'<p class="lead"><a href="{html.escape(lead.html)}">→ {html.escape(lead.title)}</a></p>'


def render_index(run: ReportRun, folder: Path) -> str:
    """HTML text of the index for ``run`` whose files are in ``folder``."""
    lang = run.lang
    title = t("index.title", lang, as_of=run.as_of.isoformat())
    rows = []
    for nb in run.notebooks:
        rows.append(
            "<tr>"
            f'<td><a href="{html.escape(nb.html)}">{html.escape(nb.title)}</a><br>'
            f'<span class="note">{html.escape(nb.name)}</span></td>'
            f'<td class="num">{nb.seconds:.1f}</td>'
            f"<td>{_params_html(nb.effective, nb.passed)}</td>"
            "</tr>"
        )
    files = [
        f'<li><a href="{html.escape(f)}">{html.escape(f)}</a> '
        f'<span class="note">({_size(folder / f)})</span></li>'
        for f in run.files
    ]
    files_html = (
        f"<ul>{''.join(files)}</ul>"
        if files
        else f'<p class="note">{html.escape(t("index.no_files", lang))}</p>'
    )
    html_lang = "zh-CN" if lang == "zh" else "en"
    return f"""<!DOCTYPE html>
<html lang="{html_lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{html.escape(title)}</title>
<style>{_CSS}</style>
</head>
<body>
<h1>{html.escape(title)}</h1>
{_lead_html(run)}
<div class="meta">{html.escape(t("index.run_at", lang))}: \
{html.escape(run.started_at.strftime("%Y-%m-%d %H:%M:%S UTC"))} · \
{html.escape(t("index.total", lang))}: {run.seconds:.1f} s</div>
<table>
<thead><tr><th>{html.escape(t("index.notebook", lang))}</th>
<th>{html.escape(t("index.duration", lang))}</th>
<th>{html.escape(t("index.params", lang))}</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>
<p class="note">{html.escape(t("index.params_note", lang))}</p>
<h2>{html.escape(t("index.files", lang))}</h2>
{files_html}
</body>
</html>
"""


def write_index(run: ReportRun, folder: Path) -> Path:
    """Write ``index.html`` for ``run`` into ``folder`` (the run's temporary folder); return it."""
    path = Path(folder) / INDEX_NAME
    path.write_text(render_index(run, Path(folder)), encoding="utf-8")
    return path
