"""Real-browser tests of change control: a Change Control Note from raising to the Change Review
Board's approval, the baseline history it leaves on the project page, the refusal of a decision by
someone who is not on the board, and the DIP performance page with its chart.

Fixtures and helpers are in conftest.py. Each test runs with JavaScript on and off.
"""

import html
import re
import urllib.parse

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import *  # noqa: F401,F403 (the shared helpers and constants)


def submit(driver, form_selector):
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, f"{form_selector} button[type=submit]"))


def fill(driver, name, value):
    element = driver.find_element(By.ID, f"f-{name}")
    element.clear()
    element.send_keys(value)


def button(driver, label):
    return driver.find_element(By.XPATH, f"//button[normalize-space()='{label}']")


def notice(driver):
    return driver.find_element(By.CSS_SELECTOR, ".notice").text


def test_ccn_raised_assessed_and_approved_shows_in_the_baseline_history(driver, server, js_mode):
    # demo-npo sits on the Change Review Board of the demo users' cluster.
    cluster = home_code(server, "demo-cluster")
    code = server.claim_among(server.project_codes(f"/projects?within={cluster}&type=lsp&stage=1"))
    title = f"Re-phase {code} go-live ({js_mode})"
    proposed = "2028-03-01"

    driver.get(server.url(f"/organisations/{cluster}/changes"))
    wait_for_page(driver)
    assert h1(driver).startswith("Change Control Notes:")
    Select(driver.find_element(By.ID, "f-type")).select_by_value("technical")
    fill(driver, "title", title)
    fill(driver, "description", "Move go-live after a second data migration rehearsal.")
    fill(driver, "reason", "The first rehearsal left records unmatched on NHS Number.")
    fill(driver, "projects", code)
    fill(driver, "milestones", f"{code} go-live-completed {proposed}")
    submit(driver, f"form[action='/organisations/{cluster}/changes']")

    assert "Change Control Note raised." in notice(driver)
    heading = h1(driver)
    reference = heading.split(":")[0]
    assert re.fullmatch(rf"CCN-{cluster}-\d{{4}}", reference) and title in heading
    note_path = urllib.parse.urlsplit(driver.current_url).path
    assert "Raised" in driver.find_element(By.CSS_SELECTOR, "p.kind").text

    click_and_wait(driver, button(driver, "Move to under assessment"))
    # Not yet at the board: it needs every discipline's assessment first.
    assert "still missing: Commercial, Technical, Programme controls, Quality, Senior sponsor" in driver.page_source
    for _ in range(5):
        fill(driver, "assessor", "A. Assessor")
        fill(driver, "recommendation", "Approve as proposed.")
        submit(driver, "form[action$='/assessments']")
        assert "Assessment recorded." in notice(driver)
    assert "Not yet assessed" not in driver.page_source
    click_and_wait(driver, button(driver, "Move to at change review board"))
    assert "At Change Review Board" in driver.find_element(By.CSS_SELECTOR, "p.kind").text

    Select(driver.find_element(By.ID, "f-outcome")).select_by_value("approved")
    fill(driver, "reason", "Benefits outweigh the delay.")
    submit(driver, "form[action$='/decision']")
    assert "The board's decision is recorded." in notice(driver)
    assert "Approved" in driver.find_element(By.CSS_SELECTOR, "p.kind").text

    open_project(driver, server, code)
    section = driver.find_element(By.CSS_SELECTOR, "section[aria-labelledby='baseline-history']")
    rows = [r for r in section.find_elements(By.CSS_SELECTOR, "tbody tr") if reference in r.text]
    assert len(rows) == 1, section.text
    cells = [c.text.strip() for c in rows[0].find_elements(By.TAG_NAME, "td")]
    assert cells[0] == "Go-Live Completed" and cells[2] == proposed
    link = rows[0].find_element(By.CSS_SELECTOR, "a")
    assert link.get_dom_attribute("href") == note_path
    assert not csp_errors(driver), csp_errors(driver)


def test_decision_by_someone_not_on_the_board_is_refused(server):
    # demo-sha may decide changes but is not a member of the board.
    sha = home_code(server, "demo-sha")
    jar = server.jar("demo-sha")
    status, _, body = http_get(server.url(f"/organisations/{sha}/changes?state=at-board"), jar=jar)
    assert status == 200
    ids = re.findall(r'<a href="/changes/(\d+)">', body)
    assert ids, "no note at the board within the demo SHA"
    status, _, page = http_get(server.url(f"/changes/{ids[0]}"), jar=jar)
    assert "You are not a member of the" in page
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    meeting = re.search(r'<select id="f-meeting" name="meeting"><option value="(\d+)"', page).group(1)
    data = urllib.parse.urlencode({"csrf": token, "version": version, "meeting": meeting, "outcome": "approved",
                                   "reason": "Not mine to approve"}).encode()
    status, _, refused = http_request(server.url(f"/changes/{ids[0]}/decision"), data=data, jar=jar,
                                      headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 403
    assert "not a member of the" in html.unescape(refused)
    _, _, after = http_get(server.url(f"/changes/{ids[0]}"), jar=jar)
    assert "At Change Review Board" in after and f'name="version" value="{version}"' in after


def test_dip_performance_page_draws_the_planned_versus_actual_chart(driver, server):
    cluster = home_code(server, "demo-cluster")
    driver.get(server.url(f"/organisations/{cluster}"))
    wait_for_page(driver)
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, f"a[href='/organisations/{cluster}/dip']"))
    assert h1(driver).startswith("DIP performance:")
    chart = driver.find_element(By.CSS_SELECTOR, "svg.dip-chart")
    assert chart.is_displayed() and chart.size["width"] > 400 and chart.size["height"] > 200
    assert "planned and delivered" in chart.find_element(By.CSS_SELECTOR, "title").get_attribute("textContent")
    lines = chart.find_elements(By.CSS_SELECTOR, "polyline")
    assert len(lines) == 2, "a planned and an actual line"
    planned = [c.get_attribute("textContent") for c in lines[0].find_elements(By.XPATH, "../*[name()='circle']/*[name()='title']")]
    assert len(planned) == 12 and planned[-1].startswith("End of Mar")
    labels = [t.text for t in chart.find_elements(By.CSS_SELECTOR, "text.axis")]
    for month in ("Apr", "Sep", "Mar"):
        assert month in labels
    rows = driver.find_elements(By.CSS_SELECTOR, "main table tbody tr")
    assert len(rows) == 12
    due = sum(int(r.find_elements(By.TAG_NAME, "td")[0].text) for r in rows)
    assert driver.find_elements(By.CSS_SELECTOR, ".card .value")[0].text == str(due) and due > 0

    # The year's DIP lists its obligations with their projects and status.
    click_and_wait(driver, driver.find_elements(By.CSS_SELECTOR, "main ul li a")[0])
    assert "DIP of" in h1(driver)
    first = driver.find_element(By.CSS_SELECTOR, "main table tbody tr")
    assert first.find_elements(By.CSS_SELECTOR, "a[href^='/projects/']")
    assert not csp_errors(driver), csp_errors(driver)

    # An SHA has its own DIP performance, linked from its page.
    sha = home_code(server, "demo-sha")
    driver.get(server.url(f"/organisations/{sha}"))
    wait_for_page(driver)
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, f"a[href='/organisations/{sha}/dip']"))
    assert h1(driver).startswith("DIP performance:")
    assert driver.find_element(By.CSS_SELECTOR, "svg.dip-chart").is_displayed()
