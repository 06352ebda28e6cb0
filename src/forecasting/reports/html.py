"""Export an executed notebook to one self-contained HTML file (nbconvert, ``lab`` template).

The stock ``lab`` template loads require.js, MathJax and Mermaid from a CDN; the reports are read
offline (mail attachments, shared drives in a factory), so a small template extending it drops
those script tags. Figures are already inline: matplotlib outputs are ``image/png`` base64 data,
and ``embed_images`` inlines any image a markdown cell references. Code inputs and prompts are
hidden: readers see headings, tables and charts only.
"""

from __future__ import annotations

import functools
import re
from typing import Any

#: Jinja template: the lab template without any network script.
REPORT_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
"""

_HEADING = re.compile(r"^\s*#\s+(.+?)\s*$", re.MULTILINE)


@functools.cache
def _exporter() -> Any:
    """The configured HTML exporter (built once per process; building it parses templates)."""
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    return HTMLExporter(
        template_name="lab",
        template_file="forecasting_report.html.j2",
        extra_loaders=[DictLoader({"forecasting_report.html.j2": REPORT_TEMPLATE})],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )


def export_html(nb: Any, title: str) -> str:
    """HTML text of the executed notebook ``nb`` (an ``nbformat`` node) titled ``title``."""
    body, _ = _exporter().from_notebook_node(nb, resources={"metadata": {"name": title}})
    return body


def notebook_title(nb: Any) -> str:
    """The first level-1 heading the notebook shows (markdown cell or markdown output), or ``""``."""
    for cell in nb.cells:
        texts: list[str] = []
        if cell.cell_type == "markdown":
            texts.append(cell.source)
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "text/markdown" in data:
                texts.append(data["text/markdown"])
        for text in texts:
            match = _HEADING.search(text)
            if match:
                return match.group(1)
    return ""
