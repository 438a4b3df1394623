"""Pages of the clinician PDF for every bundled example (WeasyPrint, the shipped KB).

Usage::

    python benchmarks/pdf_pages.py
"""

from __future__ import annotations

import tempfile
import warnings
from pathlib import Path


def main() -> int:
    """Print one line per example: its name and the PDF's page count."""
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient
    from weasyprint import HTML  # type: ignore[import-untyped]

    from mbc.api.testing import make_test_app
    from mbc.knowledge import load_kb
    from mbc.web.views import load_examples

    with tempfile.TemporaryDirectory() as tmp:
        app = make_test_app(Path(tmp) / "p.db", load_kb(), auth="off", log_format="console")
        with TestClient(app, base_url="http://testserver") as c:
            for name, rec in load_examples().items():
                cid = c.post("/v1/cases", json={"record": rec}).json()["id"]
                html = c.get(f"/cases/{cid}/print?view=clinician").text
                print(f"{name:28s} {len(HTML(string=html).render().pages)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
