"""A manager in Chromium: signs in, reads the region's dashboard, downloads a chart's data."""

from __future__ import annotations

from tests.browser_helpers import download, main_text, settle, shot, visit
from workbench.i18n import SL


def test_a_manager_reads_the_dashboard_and_downloads_a_charts_csv(server, page):
    tab = page
    visit(tab, f"{server}/region", "vodja")
    tab.get_by_text(SL["charts.funnel"]).first.wait_for()
    settle(tab)
    text = main_text(tab)
    for key in ("region.referrals", "region.included", "region.workload", "region.progress"):
        assert SL[key] in text, key
    assert "Traceback" not in text
    shot(tab, "region_dashboard")
    got = download(tab, tab.get_by_role("button", name=SL["chart.csv"]).first)
    body = got.path().read_text(encoding="utf-8-sig")
    assert got.suggested_filename.startswith("lijak-")
    header, *rows = body.splitlines()
    assert header == ";".join((SL["col.stage"], SL["col.people"], SL["col.conversion"]))
    assert rows[0].startswith(SL["funnel.referred"] + ";")
    # The same figures on the charts page, reached from the menu.
    tab.get_by_role("link", name=SL["nav.charts"]).click()
    tab.get_by_text(SL["charts.caseload"]).first.wait_for()
    settle(tab)
    shot(tab, "charts_page")
    assert "Traceback" not in main_text(tab)
