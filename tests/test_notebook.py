"""The analyst's notebook runs as written against a seeded database."""

import json

from tests.conftest import ROOT, TODAY


def test_notebook_cells_run_and_report_every_coordinator(seeded_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_DB", str(seeded_path))
    monkeypatch.setenv("WORKBENCH_TODAY", TODAY.isoformat())
    notebook = json.loads((ROOT / "notebooks" / "caseload_overview.ipynb").read_text())
    namespace: dict = {}
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            exec("".join(cell["source"]), namespace)  # noqa: S102 - our own notebook
    assert [r["coordinator"] for r in namespace["rows"]] == ["Ana Kos", "Maja Zupan",
                                                            "Petra Kralj"]
    assert all(r["active"] > 0 for r in namespace["rows"])
