"""Offer every executed chapter as an ``.ipynb`` in the page's download menu.

MyST-NB leaves the executed notebooks in ``_build/jupyter_execute``. The book
theme lists an ``.ipynb`` download only when the page context names one, and
it names one only when a launch service (Binder, Colab...) is configured,
which an offline book has none of. This extension copies each notebook next
to the page's other sources and names it in the context.
"""

from __future__ import annotations

import shutil
from pathlib import Path


def offer_notebook(app, pagename, templatename, context, doctree):
    if "kernelspec" not in app.env.metadata.get(pagename, {}):
        return
    executed = Path(app.outdir).parent / "jupyter_execute" / f"{pagename}.ipynb"
    if not executed.exists():
        return
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(executed, target)
    context["ipynb_source"] = f"{pagename}.ipynb"


def setup(app):
    # Before sphinx-book-theme builds its header buttons (priority 501).
    app.connect("html-page-context", offer_notebook, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
