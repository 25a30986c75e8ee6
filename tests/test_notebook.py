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


def test_dashboard_notebook_runs_headless_and_shows_the_librarys_figures(seeded_path,
                                                                         monkeypatch):
    """Executed by a Jupyter kernel (nbclient), as an analyst runs it; its printed key
    figures and funnel equal the library's for the manager."""
    import nbformat
    from nbclient import NotebookClient

    from workbench import auth, stats
    from workbench.db import open_db

    monkeypatch.setenv("WORKBENCH_DB", str(seeded_path))
    monkeypatch.setenv("WORKBENCH_TODAY", TODAY.isoformat())
    notebook = nbformat.read(ROOT / "notebooks" / "region_dashboard.ipynb", as_version=4)
    NotebookClient(notebook, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(ROOT)}}).execute()
    printed = [json.loads(o["text"].splitlines()[0]) for cell in notebook.cells
               if cell.cell_type == "code" for o in cell.outputs
               if o.get("output_type") == "stream"]
    db = open_db(seeded_path)
    vodja = auth.get_user_by_name(db, "vodja")
    period = stats.Filters(TODAY.replace(month=1, day=1), TODAY, "gorenjska", kind="year")
    figures = stats.key_figures(db, vodja, period, TODAY)
    assert printed[0] == {"referrals": figures.referrals, "included": figures.included,
                          "exits": figures.exits, "hours": figures.hours,
                          "active": figures.active, "overdue": figures.overdue}
    assert printed[1]["included"] == stats.progress(db, vodja, period, TODAY).included
    funnel_html = next(o["data"]["text/html"] for o in notebook.cells[3].outputs
                       if "text/html" in o.get("data", {}))
    assert str(int(stats.funnel(db, vodja, period, TODAY)["count"][0])) in funnel_html
    charts_shown = [o for cell in notebook.cells for o in cell.get("outputs", [])
                    if "vegaEmbed" in o.get("data", {}).get("text/html", "")]
    assert len(charts_shown) >= 4
    db.close()
