"""Real-browser tests of NSI document control, stage gates and the clinical hazard log: a Project
Brief started from its template, submitted for review and approved by the Project Board (never by
its author), the gate check it feeds, a refused override, the hazard log form, and the
organisation's gate roll-up chart.

Fixtures and helpers are in conftest.py. Each test runs with JavaScript on and off.
"""

import html
import re
import urllib.parse

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import *  # noqa: F401,F403 (the shared helpers and constants)


def claim_fresh_project(server):
    """A project of the demo trust that nothing has touched yet: LSP, no stage gate decided and
    no Project Brief (the demo data gives some of the trust's projects documents and gates)."""
    trust = home_code(server, "demo-trust-pm")
    jar = server.jar("demo-trust-pm")
    fresh = []
    for code in server.project_codes(f"/projects?within={trust}&type=lsp", username="demo-trust-pm"):
        status, _, body = http_get(server.url(f"/projects/{code}/gates"), jar=jar)
        assert status == 200
        if ("Next: the gate out of stage 0 " in body and "No gate has been decided yet." in body
                and f'href="/projects/{code}/documents#product-PROJECT-BRIEF"' in body):
            fresh.append(code)
    return server.claim_among(fresh)


def button(driver, label, within=None):
    return (within or driver).find_element(By.XPATH, f".//button[normalize-space()='{label}']")


def buttons(driver, label):
    return driver.find_elements(By.XPATH, f"//button[normalize-space()='{label}']")


def notice(driver, kind):
    return driver.find_element(By.CSS_SELECTOR, f".notice.{kind}").text


def sign_in_as(guest, server, username):
    guest.delete_all_cookies()
    sign_in(guest, server, username)


def test_brief_from_template_is_approved_by_the_board_not_its_author(guest, server):
    code = claim_fresh_project(server)

    # The trust project manager starts the Project Brief from its template.
    sign_in_as(guest, server, "demo-trust-pm")
    guest.get(server.url(f"/projects/{code}/documents"))
    wait_for_page(guest)
    assert h1(guest) == f"NSI products for {code}"
    row = guest.find_element(By.ID, "product-PROJECT-BRIEF")
    assert "Project Brief" in row.text and "Not started" in row.text
    click_and_wait(guest, button(guest, "Start from template", within=row))
    assert re.fullmatch(r"/documents/\d+\?drafted=1", path_of(guest)), path_of(guest)
    document_path = path_of(guest).split("?")[0]
    assert h1(guest).startswith("Project Brief")
    assert "Draft started from the template" in notice(guest, "success")
    assert guest.find_element(By.ID, "version-1").text == "Version 1 Draft"

    # The draft is rendered in the browser, filled with the project's details.
    click_and_wait(guest, guest.find_element(By.CSS_SELECTOR, f"a[href='{document_path}/versions/1']"))
    article = guest.find_element(By.CSS_SELECTOR, "article.document")
    assert article.is_displayed()
    assert code in article.text and "Project Brief" in article.text
    assert article.find_elements(By.TAG_NAME, "table"), "the milestones table is filled in"
    download = guest.find_element(By.XPATH, "//a[starts-with(normalize-space(), 'Download')]")
    assert download.get_dom_attribute("href") == f"{document_path}/versions/1/download"

    # Submitted for review; its author is never offered approval.
    guest.get(server.url(document_path))
    wait_for_page(guest)
    click_and_wait(guest, button(guest, "Submit for review"))
    assert path_of(guest) == f"{document_path}?done=submit-for-review"
    assert "Done: submit for review." in notice(guest, "success")
    assert guest.find_element(By.ID, "version-1").text == "Version 1 In review"
    assert not buttons(guest, "Approve")

    # Nor can the author approve it by sending the form anyway.
    jar = server.jar("demo-trust-pm")
    _, _, page = http_get(server.url(document_path), jar=jar)
    values = form_values(page)
    data = urllib.parse.urlencode({"csrf": values["csrf"], "action": "approve", "version": values["version"]}).encode()
    status, _, refused = http_request(server.url(f"{document_path}/versions/1/actions"), data=data, jar=jar,
                                      headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 409
    assert "segregation of duties" in html.unescape(refused)

    # A Project Board member, the product's approver role, approves it.
    sign_in_as(guest, server, "demo-board")
    guest.get(server.url(document_path))
    wait_for_page(guest)
    click_and_wait(guest, button(guest, "Approve"))
    assert path_of(guest) == f"{document_path}?done=approve"
    assert guest.find_element(By.ID, "version-1").text == "Version 1 Approved"
    approval = guest.find_element(By.CSS_SELECTOR, "p.approval").text
    assert approval.startswith("Approved by demo-board (Project Board member) on ")
    sha = guest.find_element(By.XPATH, "//p[@class='hint'][starts-with(normalize-space(), 'SHA-256')]/span").text
    assert re.fullmatch(r"[0-9a-f]{64}", sha) and sha in approval

    # The gate out of stage 0 now counts the Brief as met and still lists what is missing.
    guest.get(server.url(f"/projects/{code}/gates"))
    wait_for_page(guest)
    assert h1(guest) == f"Stage gates for {code}"
    checks = {li.find_element(By.TAG_NAME, "a").text: li for li in guest.find_elements(By.CSS_SELECTOR, "ul.gate-checks li")}
    brief = checks["Project Brief"]
    assert brief.find_element(By.CSS_SELECTOR, ".mark").text == "Met"
    assert brief.find_element(By.TAG_NAME, "a").get_dom_attribute("href") == document_path
    benefits = checks["Benefits Realisation Plan"]
    assert benefits.find_element(By.CSS_SELECTOR, ".mark").text == "Missing"
    link = benefits.find_element(By.TAG_NAME, "a")
    assert link.get_dom_attribute("href") == f"/projects/{code}/documents#product-BENEFITS-PLAN"
    click_and_wait(guest, link)
    assert h1(guest) == f"NSI products for {code}"
    assert guest.find_element(By.ID, "product-BENEFITS-PLAN").is_displayed()
    assert guest.find_element(By.CSS_SELECTOR, "#product-PROJECT-BRIEF .doc-state").text == "Approved"
    assert not csp_errors(guest), csp_errors(guest)


def test_an_override_without_a_reason_is_refused_with_its_message(guest, server):
    code = claim_fresh_project(server)
    sign_in_as(guest, server, "demo-board")
    guest.get(server.url(f"/projects/{code}/gates"))
    wait_for_page(guest)
    assert "checks are not met" in guest.find_element(By.CSS_SELECTOR, "section[aria-labelledby='next-gate']").text
    guest.find_element(By.ID, "override").click()
    assert guest.find_element(By.ID, "override").is_selected()
    click_and_wait(guest, button(guest, "Record the gate decision"))
    assert h1(guest) == f"Stage gates for {code}"
    message = notice(guest, "error")
    assert "An override needs a reason of at least 10 characters" in message, message
    assert "No gate has been decided yet." in guest.find_element(By.TAG_NAME, "main").text

    # With a reason, the Project Board's override is recorded with what was missing.
    reason = "Brief agreed at the Board on the CEO's authority; signed copy to follow"
    guest.find_element(By.ID, "override").click()
    guest.find_element(By.ID, "reason").send_keys(reason)
    click_and_wait(guest, button(guest, "Record the gate decision"))
    assert path_of(guest) == f"/projects/{code}/gates?decided=1"
    decided = guest.find_element(By.CSS_SELECTOR, "section[aria-labelledby='decided']").text
    assert "Passed with Project Board override" in decided and f"Reason: {reason}" in decided
    assert "Missing when overridden:" in decided
    assert "Next: the gate out of stage 1 Initiate" in h2_texts(guest)


def h2_texts(driver):
    return [h.text for h in driver.find_elements(By.TAG_NAME, "h2")]


def test_hazard_log_form_shows_errors_beside_fields_then_raises_the_hazard(guest, server, js_mode):
    code = claim_fresh_project(server)
    sign_in_as(guest, server, "demo-trust-pm")
    guest.get(server.url(f"/projects/{code}/hazards"))
    wait_for_page(guest)
    assert h1(guest) == f"Clinical safety hazard log for {code}"
    assert "No hazards recorded yet." in guest.find_element(By.TAG_NAME, "main").text
    form = guest.find_element(By.CSS_SELECTOR, "form.hazard-form")
    form.find_element(By.NAME, "cause").send_keys("Kept <b>as typed</b>")
    click_and_wait(guest, button(guest, "Raise hazard"))

    summary = guest.find_element(By.CSS_SELECTOR, "section[aria-labelledby='raise-hazard'] .notice.error")
    assert "The hazard was not raised" in summary.text
    for field, fragment in [("title", "Describe the hazard"), ("effect", "Describe the effect"),
                            ("initialSeverity", "Choose the initial severity")]:
        control = guest.find_element(By.ID, f"hazard-{field}")
        error = guest.find_element(By.ID, f"hazard-{field}-error")
        assert fragment in error.text and error.is_displayed()
        assert control.get_attribute("aria-invalid") == "true"
        assert control.get_attribute("aria-describedby") == f"hazard-{field}-error"
        assert error.find_element(By.XPATH, "..") == control.find_element(By.XPATH, ".."), "error beside its field"
        assert summary.find_elements(By.CSS_SELECTOR, f"a[href='#hazard-{field}']")
    assert guest.find_element(By.ID, "hazard-cause").get_attribute("value") == "Kept <b>as typed</b>"

    title = f"Wrong patient selected ({js_mode})"
    form = guest.find_element(By.CSS_SELECTOR, "form.hazard-form")
    for name, value in [("title", title), ("effect", "Results filed against the wrong record"), ("harm", "Missed treatment"),
                        ("control1", "NHS Number shown at every selection"), ("verification1", "UAT script PS-04")]:
        form.find_element(By.NAME, name).send_keys(value)
    Select(form.find_element(By.NAME, "initialSeverity")).select_by_value("4")
    Select(form.find_element(By.NAME, "initialLikelihood")).select_by_value("3")
    click_and_wait(guest, button(guest, "Raise hazard"))
    assert path_of(guest) == f"/projects/{code}/hazards?saved=1"
    assert "Hazard saved." in notice(guest, "success")
    row = guest.find_element(By.CSS_SELECTOR, "table.hazards tbody tr.blocking")
    assert title in row.text and "blocks Go Live" in row.text and "3 Undesirable" in row.text
    assert "Kept <b>as typed</b>" in row.text, "typed markup is shown as text"
    assert "1 open hazard above acceptable." in guest.find_element(By.TAG_NAME, "main").text
    # Only the Clinical Safety Officer signs the safety case.
    assert not buttons(guest, "Sign the safety case as Clinical Safety Officer")


def test_organisation_gate_roll_up_is_an_inline_svg_chart(driver, server):
    trust = home_code(server, "demo-trust-pm")
    driver.get(server.url(f"/organisations/{trust}"))
    wait_for_page(driver)
    section = driver.find_element(By.CSS_SELECTOR, "section[aria-labelledby='gates-rollup']")
    assert re.search(r"\d+ of \d+", section.text), section.text
    click_and_wait(driver, section.find_element(By.CSS_SELECTOR, f"a[href='/organisations/{trust}/gates']"))
    assert h1(driver).startswith("Stage gates and signed products:")

    chart = driver.find_element(By.CSS_SELECTOR, "main figure svg.chart")
    assert chart.tag_name == "svg", "drawn inline, not an image or object"
    assert chart.is_displayed() and chart.size["width"] > 400 and chart.size["height"] > 100
    title = chart.find_element(By.CSS_SELECTOR, "title").get_attribute("textContent")
    assert "Projects that have passed each stage gate" in title
    bars = chart.find_elements(By.CSS_SELECTOR, "rect.bar-complete")
    assert len(bars) == 6, "one bar per gate"
    assert any(float(b.get_attribute("width")) > 0 for b in bars), "the demo trust has passed gates"

    total = int(re.search(r"(\d+) implementation projects", driver.find_element(By.TAG_NAME, "main").text).group(1))
    rows = driver.find_elements(By.XPATH, "//table[caption[normalize-space()='Projects that have passed each gate']]/tbody/tr")
    assert len(rows) == 6
    first = [cell.text for cell in rows[0].find_elements(By.TAG_NAME, "td")]
    passed, overridden = int(first[0]), int(first[1])
    assert first[2] == f"{passed + overridden} of {total}"
    assert overridden >= 1, "the demo data has a Project Board override"
    bar_titles = [t.get_attribute("textContent") for t in chart.find_elements(By.CSS_SELECTOR, "rect.bar-complete title")]
    assert bar_titles[0].endswith(f": {passed} passed")
    assert not csp_errors(driver), csp_errors(driver)


def test_project_page_shows_documents_and_gates_panel_with_timeline(driver, server):
    # The demo gives one of its projects every stage gate, passed on approved documents.
    trust = home_code(server, "demo-trust-pm")
    for code in server.project_codes(f"/projects?within={trust}&type=lsp"):
        _, _, body = http_get(server.url(f"/projects/{code}/gates"), jar=server.jar())
        if "Every stage gate has been decided." in body:
            break
    else:
        raise AssertionError("no demo project has every gate decided")
    open_project(driver, server, code)
    panel = driver.find_element(By.CSS_SELECTOR, "section[aria-labelledby='documents-gates']")
    assert "Every stage gate has been decided." in panel.text
    events = [li.text for li in panel.find_elements(By.CSS_SELECTOR, "ol.timeline li")]
    assert any("Implementation Completed achieved" in e for e in events)
    assert sum("passed by demo-board" in e for e in events) == 6, events
    click_and_wait(driver, panel.find_element(By.LINK_TEXT, "Stage gates"))
    assert len(driver.find_elements(By.CSS_SELECTOR, "section[aria-labelledby='decided'] li.gate")) == 6
