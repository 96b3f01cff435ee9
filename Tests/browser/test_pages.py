"""Real-browser tests of Waymark's server-rendered pages: the dashboard, projects, plans, sign-in.

Fixtures and helpers are in conftest.py; each area's pages have their own test_*.py beside this.
"""

import csv
import datetime
import html
import re
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import *  # noqa: F401,F403 (the shared helpers and constants)



# --------------------------------------------------------------------------------------------
# Tests: pages
# --------------------------------------------------------------------------------------------

def test_dashboard_shows_chart_and_all_clusters(driver, server):
    driver.get(server.url("/"))
    assert h1(driver) == "National dashboard"
    assert driver.title == "National dashboard · Waymark"
    assert breadcrumbs(driver) == []

    # The strict CSP still lets the stylesheet load: the masthead is NHS blue.
    masthead = driver.find_element(By.CSS_SELECTOR, "header.masthead")
    assert masthead.value_of_css_property("background-color") in ("rgba(0, 94, 184, 1)", "rgb(0, 94, 184)")

    chart = assert_chart(driver)
    assert "Implementation progress" in chart.find_element(By.CSS_SELECTOR, "title").get_attribute("textContent")
    bars = [r.rect for r in chart.find_elements(By.CSS_SELECTOR, "rect")]
    titles = [g.get_attribute("textContent") for g in chart.find_elements(By.CSS_SELECTOR, "g > title")]
    for code in CLUSTERS:
        # Linked in the chart, in the Go-Live matrix and in the milestone table.
        chart_links = chart.find_elements(By.CSS_SELECTOR, f"a[href='/organisations/{code}']")
        assert len(chart_links) == 1, f"chart has no row link for cluster {code}"
        matrix_links = driver.find_elements(By.CSS_SELECTOR, f"table.matrix a[href='/organisations/{code}']")
        assert matrix_links, code
        assert driver.find_elements(By.CSS_SELECTOR, f"table.milestones-rollup a[href='/organisations/{code}']"), code
        name = matrix_links[0].text.strip()
        assert name.endswith("Cluster"), name
        # The chart's label is the name, shortened with an ellipsis when long.
        label = chart_links[0].find_element(By.CSS_SELECTOR, "text")
        shown = label.text.strip()
        assert shown == name or (shown.endswith("…") and name.startswith(shown[:-1])), (shown, name)
        # At least one bar drawn on this cluster's row (vertically aligned with its label) ...
        box = label.rect
        label_mid = box["y"] + box["height"] / 2
        in_row = [b for b in bars if abs(b["y"] + b["height"] / 2 - label_mid) < 10 and b["width"] > 0]
        assert in_row, f"no bar on the chart row of {name}"
        # ... and at least one of them describes this cluster's projects.
        assert any(t.startswith(f"{name}, ") and " projects;" in t for t in titles), name
    assert not csp_errors(driver), csp_errors(driver)


def test_drill_down_from_national_to_project(driver, server):
    driver.get(server.url("/"))
    assert h1(driver) == "National dashboard"
    trail = [("National", "/")]

    def check_level(expected_name, expected_code):
        assert h1(driver) == expected_name
        assert path_of(driver) == f"/organisations/{expected_code}"
        assert driver.find_element(By.CSS_SELECTOR, "p.kind").text.endswith(f"· {expected_code}")
        crumbs = breadcrumbs(driver)
        assert crumbs[:-1] == trail, f"breadcrumbs {crumbs} do not list the ancestors {trail}"
        assert crumbs[-1] == (expected_name, None)
        current = driver.find_element(By.CSS_SELECTOR, "nav.breadcrumbs li[aria-current='page']")
        assert current.text.strip() == expected_name
        assert_chart(driver)
        trail.append((expected_name, f"/organisations/{expected_code}"))

    # National -> cluster through the chart's own row link.
    link = driver.find_element(By.CSS_SELECTOR, "svg.chart a[href^='/organisations/']")
    code = link.get_dom_attribute("href").rsplit("/", 1)[1]
    assert code in CLUSTERS
    name = driver.find_element(By.CSS_SELECTOR, f"table.matrix a[href='/organisations/{code}']").text.strip()
    shown = link.text.strip()
    assert shown == name or (shown.endswith("…") and name.startswith(shown[:-1])), (shown, name)
    click_and_wait(driver, link)
    check_level(name, code)
    assert driver.find_element(By.CSS_SELECTOR, "p.kind").text.startswith("Cluster")

    # Cluster -> SHA -> LHC -> trust -> site through the tables' row links.
    levels = [(r"Q\d\d", "Strategic Health Authority"), (r"L\d{3}", "Local Health Community"),
              (r"[0-9A-Z]{3}", "trust"), (r"[0-9A-Z]+", None)]
    for pattern, kind in levels:
        row = driver.find_elements(By.CSS_SELECTOR, "table.matrix tbody th[scope='row']")[0]
        link = row.find_element(By.CSS_SELECTOR, "a")
        code = row.find_element(By.CSS_SELECTOR, "span.code").text.strip()
        assert re.fullmatch(pattern, code), f"unexpected child code {code!r}"
        assert link.get_dom_attribute("href") == f"/organisations/{code}"
        name = link.text.strip()
        click_and_wait(driver, link)
        check_level(name, code)
        if kind:
            assert kind.lower() in driver.find_element(By.CSS_SELECTOR, "p.kind").text.lower()

    # The site is a leaf: its roll-up has only its own row.
    site_name, site_path = trail[-1]
    row_labels = [e.text.strip() for e in driver.find_elements(By.CSS_SELECTOR, "table.matrix tbody th[scope='row']")]
    assert row_labels == [f"At {site_name}"]

    # Site -> its projects -> a project page.
    button = driver.find_element(By.CSS_SELECTOR, "main a.button[href^='/projects?within=']")
    assert button.text.strip() == f"List the projects in {site_name}"
    click_and_wait(driver, button)
    assert h1(driver) == f"Projects in {site_name}"
    project_links = driver.find_elements(By.CSS_SELECTOR, "table.list tbody a[href^='/projects/']")
    assert project_links, "the site has no projects listed"
    project_code = project_links[0].text.strip()
    click_and_wait(driver, project_links[0])
    assert path_of(driver) == f"/projects/{project_code}"
    title = h1(driver)
    assert title.endswith(f" at {site_name}")
    assert f"Project {project_code}" in driver.find_element(By.CSS_SELECTOR, "p.kind").text
    crumbs = breadcrumbs(driver)
    assert crumbs[:-1] == trail, f"project breadcrumbs {crumbs} do not list {trail}"
    assert crumbs[-1] == (title, None)
    assert driver.find_elements(By.CSS_SELECTOR, "form[action='/projects/%s/milestones']" % project_code)

    # Every breadcrumb link goes back to its level.
    crumb = driver.find_element(By.CSS_SELECTOR, f"nav.breadcrumbs a[href='{trail[2][1]}']")
    click_and_wait(driver, crumb)
    assert h1(driver) == trail[2][0]
    assert not csp_errors(driver), csp_errors(driver)


def test_search_from_header_box(driver, server):
    driver.get(server.url("/organisations/CSO"))
    box = driver.find_element(By.ID, "q")
    box.clear()
    box.send_keys("Leeds")
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "form.search button[type=submit]"))

    parts = urllib.parse.urlsplit(driver.current_url)
    assert parts.path == "/search"
    assert urllib.parse.parse_qs(parts.query) == {"q": ["Leeds"]}
    assert h1(driver) == "Search"
    assert driver.title == "Search: Leeds · Waymark"
    assert driver.find_element(By.ID, "q").get_attribute("value") == "Leeds"

    headings = [e.text.strip() for e in driver.find_elements(By.CSS_SELECTOR, "main section h2")]
    assert len(headings) == 2 and headings[0].startswith("Organisations (") and headings[1].startswith("Projects (")
    sections = driver.find_elements(By.CSS_SELECTOR, "main section")
    organisations = sections[0].find_elements(By.CSS_SELECTOR, "ul.results li")
    projects = sections[1].find_elements(By.CSS_SELECTOR, "ul.results li")
    assert organisations and projects
    assert headings[0] == f"Organisations ({len(organisations)})"
    assert headings[1] == f"Projects ({len(projects)})"
    for item in organisations:
        assert "leeds" in item.find_element(By.TAG_NAME, "a").text.lower(), item.text
        assert item.find_element(By.TAG_NAME, "a").get_dom_attribute("href").startswith("/organisations/")
    for item in projects:
        assert "leeds" in item.text.lower(), item.text
        assert item.find_element(By.TAG_NAME, "a").get_dom_attribute("href").startswith("/projects/")

    # An organisation result opens its page.
    org_link = organisations[0].find_element(By.TAG_NAME, "a")
    org_name = org_link.text.strip()
    org_code = organisations[0].find_element(By.CSS_SELECTOR, "span.code").text.strip()
    click_and_wait(driver, org_link)
    assert h1(driver) == org_name
    assert path_of(driver) == f"/organisations/{org_code}"
    assert_chart(driver)

    # Back to the results; a project result opens its page.
    old = driver.find_element(By.TAG_NAME, "html")
    driver.back()
    wait_replaced(driver, old)
    WebDriverWait(driver, WAIT).until(EC.presence_of_element_located((By.CSS_SELECTOR, "ul.results")))
    assert h1(driver) == "Search"
    project_item = driver.find_elements(By.CSS_SELECTOR, "main section")[1].find_element(By.CSS_SELECTOR, "ul.results li")
    project_link = project_item.find_element(By.TAG_NAME, "a")
    project_code = project_link.text.strip()
    at_text = project_item.text.split(" at ", 1)[1].strip()
    click_and_wait(driver, project_link)
    assert path_of(driver) == f"/projects/{project_code}"
    assert h1(driver).endswith(f" at {at_text}")
    assert f"Project {project_code}" in driver.find_element(By.CSS_SELECTOR, "p.kind").text


def test_search_with_no_matches(driver, server):
    driver.get(server.url("/"))
    box = driver.find_element(By.ID, "q")
    box.send_keys("Zzyzx-no-such-place")
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "form.search button[type=submit]"))
    headings = [e.text.strip() for e in driver.find_elements(By.CSS_SELECTOR, "main section h2")]
    assert headings == ["Organisations (0)", "Projects (0)"]
    assert len(driver.find_elements(By.XPATH, "//main//p[normalize-space()='None found.']")) == 2


# --------------------------------------------------------------------------------------------
# Tests: the milestone form
# --------------------------------------------------------------------------------------------

@pytest.mark.js_both
def test_malformed_forecast_date_is_refused_beside_the_field(driver, server, js_mode):
    if js_mode == "js-off":
        pytest.skip("a type=date input cannot hold free text without JavaScript to change its type")
    code = server.claim_project()
    open_project(driver, server, code)
    before = current_values(driver)
    assert_stage_one(before)

    # Another field changed in the same submission, to check it is kept but not saved.
    other = "forecast.local-design-completed"
    other_day = parse_iso(before[other]) + datetime.timedelta(days=3)
    type_date(driver, other, other_day)

    name = "forecast.initiation-completed"
    element = field(driver, name)
    driver.execute_script("arguments[0].type = 'text';", element)
    element.clear()
    element.send_keys("31/13/2026")
    assert element.get_attribute("value") == "31/13/2026"
    submit_milestones(driver)

    assert path_of(driver) == f"/projects/{code}/milestones"
    assert_field_error(driver, name, "Initiation Completed forecast", "YYYY-MM-DD")
    assert error_fields(driver) == [name.replace(".", "-")]
    assert not driver.find_elements(By.CSS_SELECTOR, ".notice.success")
    # The raw text comes back in the field's value attribute (a date input then shows it empty).
    assert field(driver, name).get_dom_attribute("value") == "31/13/2026"
    after = current_values(driver)
    assert after[other] == iso(other_day), "the other entered value was not kept"
    for key, value in before.items():
        if key not in (name, other):
            assert after[key] == value, key

    open_project(driver, server, code)
    assert current_values(driver) == before, "a refused submission changed stored dates"
    assert not driver.find_elements(By.CSS_SELECTOR, ".notice.error, .notice.success")


def test_future_actual_date_is_refused_beside_the_field(driver, server):
    code = server.claim_project()
    open_project(driver, server, code)
    before = current_values(driver)
    assert_stage_one(before)
    today = page_today(driver)

    other = "forecast.go-live-completed"
    other_day = parse_iso(before[other]) + datetime.timedelta(days=5)
    type_date(driver, other, other_day)
    name = "actual.initiation-completed"
    type_date(driver, name, today + datetime.timedelta(days=10))
    submit_milestones(driver)

    text = assert_field_error(driver, name, "Initiation Completed", "cannot be in the future", iso(today))
    assert error_fields(driver) == [name.replace(".", "-")], text
    assert not driver.find_elements(By.CSS_SELECTOR, ".notice.success")
    after = current_values(driver)
    assert after[name] == iso(today + datetime.timedelta(days=10))
    assert after[other] == iso(other_day), "the other entered value was not kept"

    open_project(driver, server, code)
    assert current_values(driver) == before, "a refused submission changed stored dates"


def test_out_of_order_actual_is_refused_beside_the_field(driver, server):
    code = server.claim_project()
    open_project(driver, server, code)
    before = current_values(driver)
    assert_stage_one(before)
    today = page_today(driver)

    # Local Design Completed achieved while Initiation Completed is not.
    name = "actual.local-design-completed"
    type_date(driver, name, today)
    submit_milestones(driver)

    assert_field_error(driver, name, "Local Design Completed cannot be achieved before Initiation Completed",
                       "in order")
    assert error_fields(driver) == [name.replace(".", "-")]
    assert current_values(driver)[name] == iso(today)
    assert not driver.find_elements(By.CSS_SELECTOR, ".notice.success")

    open_project(driver, server, code)
    assert current_values(driver) == before, "a refused submission changed stored dates"


def test_valid_forecast_date_is_saved(driver, server):
    code = server.claim_project()
    open_project(driver, server, code)
    before = current_values(driver)
    assert_stage_one(before)

    name = "forecast.initiation-completed"
    new_day = parse_iso(before[name]) + datetime.timedelta(days=7)
    type_date(driver, name, new_day)
    submit_milestones(driver)

    assert path_of(driver) == f"/projects/{code}?saved=1"
    notice = driver.find_element(By.CSS_SELECTOR, ".notice.success")
    assert notice.is_displayed() and notice.text.strip() == "Milestone dates saved."
    assert not driver.find_elements(By.CSS_SELECTOR, ".notice.error, .error-message")
    expected = dict(before, **{name: iso(new_day)})
    assert current_values(driver) == expected

    open_project(driver, server, code)
    assert current_values(driver) == expected, "the saved forecast did not persist"
    assert not driver.find_elements(By.CSS_SELECTOR, ".notice.success")
    # And the server agrees, independently of the browser.
    _, _, body = http_get(server.url(f"/projects/{code}"), jar=server.jar())
    assert milestone_values(body)[name] == iso(new_day)


# --------------------------------------------------------------------------------------------
# Tests: signing in and out
# --------------------------------------------------------------------------------------------

def test_unsigned_visit_returns_to_its_page_after_sign_in(guest, server):
    code = server.project_codes()[0]
    guest.get(server.url(f"/projects/{code}"))
    wait_for_page(guest)

    parts = urllib.parse.urlsplit(guest.current_url)
    assert parts.path == "/sign-in"
    assert urllib.parse.parse_qs(parts.query) == {"next": [f"/projects/{code}"]}
    form = assert_sign_in_form(guest)
    assert form.find_element(By.CSS_SELECTOR, "input[name=next]").get_attribute("value") == f"/projects/{code}"
    assert not guest.find_elements(By.CSS_SELECTOR, "p.kind"), "the project was shown to a signed-out visitor"
    assert signed_in_as(guest) is None

    submit_sign_in(guest, NATIONAL_USER)
    assert path_of(guest) == f"/projects/{code}"
    assert f"Project {code}" in guest.find_element(By.CSS_SELECTOR, "p.kind").text
    assert signed_in_as(guest) == DEMO_USERS[NATIONAL_USER]
    assert guest.find_elements(By.CSS_SELECTOR, f"form[action='/projects/{code}/milestones']")


def test_sign_in_never_sends_the_browser_off_site(guest, server):
    guest.get(server.url("/sign-in?next=" + urllib.parse.quote("//evil.example/projects", safe="")))
    wait_for_page(guest)
    form = assert_sign_in_form(guest)
    assert form.find_element(By.CSS_SELECTOR, "input[name=next]").get_attribute("value") == "/"
    submit_sign_in(guest, NATIONAL_USER)
    assert guest.current_url == server.url("/")
    assert h1(guest) == "National dashboard"


@pytest.mark.js_both
def test_wrong_password_is_refused_and_stays_signed_out(guest, server):
    guest.get(server.url("/sign-in"))
    wait_for_page(guest)
    # A wrong password and an unknown username get the same answer.
    for username in (NATIONAL_USER, "demo-nobody"):
        submit_sign_in(guest, username, "not-" + DEMO_PASSWORD)
        assert path_of(guest) == "/sign-in"
        form = assert_sign_in_form(guest)
        notice = guest.find_element(By.CSS_SELECTOR, "main .notice.error[role=alert]")
        assert notice.is_displayed()
        assert "Sign-in failed" in notice.text
        assert "The username or password is not right." in notice.text
        assert form.find_element(By.ID, "username").get_attribute("value") == username
        assert form.find_element(By.ID, "password").get_attribute("value") == ""
        assert guest.get_cookie(SESSION_COOKIE) is None
        assert signed_in_as(guest) is None

    # Still signed out: the dashboard sends the browser to the sign-in form, without the error.
    guest.get(server.url("/"))
    wait_for_page(guest)
    assert path_of(guest) == "/sign-in"
    assert_sign_in_form(guest)
    assert not guest.find_elements(By.CSS_SELECTOR, ".notice.error")

    # The right password on that form then signs in.
    submit_sign_in(guest, NATIONAL_USER)
    assert path_of(guest) == "/"
    assert h1(guest) == "National dashboard"
    assert signed_in_as(guest) == DEMO_USERS[NATIONAL_USER]


def test_sign_out_ends_the_session(guest, server):
    sign_in(guest, server, "demo-trust-pm")
    session = guest.get_cookie(SESSION_COOKIE)["value"]
    as_browser = {"Cookie": f"{SESSION_COOKIE}={session}"}
    status, _, _ = http_request(server.url("/"), headers=as_browser)
    assert status == 200, "the browser's session cookie does not work over HTTP"

    form = guest.find_element(By.CSS_SELECTOR, "header .account form[action='/sign-out']")
    assert form.get_attribute("method") == "post"
    assert form.find_element(By.CSS_SELECTOR, "input[type=hidden][name=csrf]").get_attribute("value")
    click_and_wait(guest, form.find_element(By.XPATH, ".//button[@type='submit'][normalize-space()='Sign out']"))
    assert path_of(guest) == "/sign-in"
    assert_sign_in_form(guest)
    assert guest.get_cookie(SESSION_COOKIE) is None

    guest.get(server.url("/"))
    wait_for_page(guest)
    assert path_of(guest) == "/sign-in"
    assert_sign_in_form(guest)
    assert signed_in_as(guest) is None
    # The session is ended on the server, not merely forgotten by the browser.
    status, headers, _ = http_request(server.url("/"), headers=as_browser)
    assert status == 303 and headers["Location"] == "/sign-in"


# --------------------------------------------------------------------------------------------
# Tests: what each role may see and do
# --------------------------------------------------------------------------------------------

def milestone_rows(driver):
    """(milestone, forecast, actual) for each row of the project page's milestone table, read
    from the inputs when it is a form and from the cells when it is read-only."""
    rows = []
    for row in driver.find_elements(By.CSS_SELECTOR, "table.milestones tbody tr"):
        milestone = row.find_element(By.TAG_NAME, "th").text.replace("achieved", "").strip()
        cells = row.find_elements(By.TAG_NAME, "td")
        dates = []
        for cell in cells[1:3]:
            inputs = cell.find_elements(By.TAG_NAME, "input")
            dates.append((inputs[0].get_attribute("value") or "–") if inputs else cell.text.strip())
        rows.append((milestone, *dates))
    return rows


def test_board_member_sees_milestones_without_the_form(driver, guest, server):
    sign_in(guest, server, "demo-board")
    assert not guest.find_elements(By.CSS_SELECTOR, "header a[href='/audit']")
    guest.get(server.url("/projects"))
    wait_for_page(guest)
    link = guest.find_element(By.CSS_SELECTOR, "table.list tbody a[href^='/projects/']")
    code = link.text.strip()
    click_and_wait(guest, link)
    assert path_of(guest) == f"/projects/{code}"
    assert f"Project {code}" in guest.find_element(By.CSS_SELECTOR, "p.kind").text

    board_rows = milestone_rows(guest)
    assert board_rows, "the board member sees no milestones"
    assert not guest.find_elements(By.CSS_SELECTOR, "form[action$='/milestones']")
    # (Board members may record lessons and risks, so the page has those forms; none touch dates.)
    assert not guest.find_elements(By.CSS_SELECTOR, "table.milestones input, table.milestones select")
    assert not guest.find_elements(By.CSS_SELECTOR, "input[name^='forecast.'], input[name^='actual.']")
    assert not guest.find_elements(By.XPATH, "//button[normalize-space()='Save dates']")
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}|–", d) for _, *dates in board_rows for d in dates), board_rows

    # The national office sees the same project and dates, as a form it can save.
    open_project(driver, server, code)
    assert driver.find_elements(By.CSS_SELECTOR, f"form[action='/projects/{code}/milestones'] input[name^='forecast.']")
    assert driver.find_elements(By.XPATH, "//form[contains(@action,'/milestones')]//button[normalize-space()='Save dates']")
    assert milestone_rows(driver) == board_rows

    # The audit trail is not for a board member either.
    guest.get(server.url("/audit"))
    wait_for_page(guest)
    assert h1(guest) == "Not permitted"
    assert not guest.find_elements(By.CSS_SELECTOR, "main table")


def test_board_member_cannot_record_milestones_over_http(server):
    code = server.project_codes(username="demo-board")[0]
    jar = http_sign_in(server, "demo-board")
    _, _, body = http_get(server.url(f"/projects/{code}"), jar=jar)
    before = milestone_values(http_get(server.url(f"/projects/{code}"), jar=server.jar())[2])
    status, _, body = http_request(
        server.url(f"/projects/{code}/milestones"), jar=jar,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Origin": server.base},
        data=urllib.parse.urlencode({"csrf": form_values(body)["csrf"], "forecast.initiation-completed": "2031-01-31"}).encode())
    assert status == 403, body
    assert "Not permitted" in body
    assert milestone_values(http_get(server.url(f"/projects/{code}"), jar=server.jar())[2]) == before


def list_rows(driver):
    """(project code, supplier) for each row of a project list page."""
    rows = []
    for row in driver.find_elements(By.CSS_SELECTOR, "table.list tbody tr"):
        cells = row.find_elements(By.TAG_NAME, "td")
        rows.append((cells[0].text.strip(), cells[6].text.strip()))
    return rows


def test_supplier_cannot_open_another_suppliers_project(driver, guest, server):
    # A supplier's home page is their own organisation's.
    sign_in(guest, server, "demo-supplier")
    supplier = h1(guest)
    assert supplier and supplier != "National dashboard"
    guest.get(server.url("/projects"))
    wait_for_page(guest)
    own = list_rows(guest)
    assert own, "the supplier sees no projects"
    assert {s for _, s in own} == {supplier}, f"{supplier} is listed projects of {own}"

    # The national office's list shows another supplier's project.
    driver.get(server.url("/projects"))
    wait_for_page(driver)
    others = [code for code, s in list_rows(driver) if s not in (supplier, "–", "")]
    assert others, f"the first page of projects has none that {supplier} does not supply"
    other = others[0]
    open_project(driver, server, other)

    guest.get(server.url(f"/projects/{other}"))
    wait_for_page(guest)
    assert h1(guest) == "Not found"
    assert guest.title == "Not found · Waymark"
    assert not guest.find_elements(By.CSS_SELECTOR, "p.kind, table.milestones")

    # Still signed in as the supplier, whose own project opens.
    open_project(guest, server, own[0][0])
    assert signed_in_as(guest) == DEMO_USERS["demo-supplier"]


def token_row(driver, name):
    rows = [r for r in driver.find_elements(By.CSS_SELECTOR, "table tbody tr")
            if r.find_elements(By.TAG_NAME, "td") and r.find_element(By.TAG_NAME, "td").text.strip() == name]
    assert len(rows) == 1, f"{len(rows)} rows for token {name!r}"
    return rows[0]


def api_status(server, secret):
    status, _, _ = http_request(server.url("/api/v1/organisations"),
                                headers={"Authorization": f"Bearer {secret}", "Accept": "application/json"})
    return status


def test_api_token_is_shown_once_and_can_be_revoked(driver, server, js_mode):
    driver.get(server.url("/"))
    wait_for_page(driver)
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "header .account a[href='/account']"))
    assert path_of(driver) == "/account"
    assert h1(driver) == "Your account"
    assert not driver.find_elements(By.CSS_SELECTOR, ".secret")

    name = f"browser test {js_mode} {time.time_ns()}"
    driver.find_element(By.ID, "token-name").send_keys(name)
    read = driver.find_element(By.CSS_SELECTOR, "input[type=checkbox][name='scope.read']")
    write = driver.find_element(By.CSS_SELECTOR, "input[type=checkbox][name='scope.write']")
    assert read.is_selected() and not write.is_selected()
    write.click()
    assert write.is_selected()
    days = driver.find_element(By.ID, "token-days")
    days.clear()
    days.send_keys("7")
    click_and_wait(driver, driver.find_element(By.XPATH, "//form[@action='/account/tokens']//button[normalize-space()='Create token']"))

    secrets = driver.find_elements(By.CSS_SELECTOR, ".secret")
    assert len(secrets) == 1 and secrets[0].is_displayed()
    secret = secrets[0].text.strip()
    assert secret.startswith("wmk_") and len(secret) > 30, secret
    cells = [c.text.strip() for c in token_row(driver, name).find_elements(By.TAG_NAME, "td")]
    assert cells[1] == "read,write"
    assert parse_iso(cells[3]) - parse_iso(cells[2]) == datetime.timedelta(days=7)
    assert cells[4] == "never"
    assert cells[5] == "active"
    assert secret not in " ".join(cells)
    assert api_status(server, secret) == 200, "the new token does not work"

    # Shown once: the account page never shows it again.
    driver.get(server.url("/account"))
    wait_for_page(driver)
    assert not driver.find_elements(By.CSS_SELECTOR, ".secret")
    assert secret not in driver.page_source
    row = token_row(driver, name)
    assert row.find_elements(By.TAG_NAME, "td")[5].text.strip() == "active"

    click_and_wait(driver, row.find_element(By.XPATH, ".//button[normalize-space()='Revoke']"))
    assert path_of(driver) == "/account?revoked=1"
    assert driver.find_element(By.CSS_SELECTOR, ".notice.success").text.strip() == "Token revoked."
    row = token_row(driver, name)
    assert row.find_elements(By.TAG_NAME, "td")[5].text.strip() == "revoked"
    assert not row.find_elements(By.TAG_NAME, "button")
    assert api_status(server, secret) == 401, "a revoked token still works"


def audit_rows(driver):
    """(user, action) for each row of the audit table."""
    rows = []
    for row in driver.find_elements(By.CSS_SELECTOR, "main table tbody tr"):
        cells = row.find_elements(By.TAG_NAME, "td")
        rows.append((cells[2].text.strip(), cells[4].text.strip()))
    return rows


def test_auditor_sees_the_audit_trail(guest, server):
    sign_in(guest, server, "demo-auditor")
    click_and_wait(guest, guest.find_element(By.CSS_SELECTOR, "header nav.mainnav a[href='/audit']"))
    assert path_of(guest) == "/audit"
    assert h1(guest) == "Audit trail"
    rows = audit_rows(guest)
    assert rows, "the audit trail is empty"
    assert rows[0] == ("demo-auditor", "sign in"), f"the newest entry is not this sign-in: {rows[0]}"
    caption = guest.find_element(By.CSS_SELECTOR, "main table caption").text.strip()
    assert caption == f"{len(rows)} entries shown"

    # Filter by user through the form.
    form = guest.find_element(By.CSS_SELECTOR, "main form.filters-form[action='/audit']")
    box = form.find_element(By.NAME, "user")
    box.clear()
    box.send_keys(NATIONAL_USER)
    click_and_wait(guest, form.find_element(By.XPATH, ".//button[normalize-space()='Filter']"))
    parts = urllib.parse.urlsplit(guest.current_url)
    assert parts.path == "/audit"
    assert urllib.parse.parse_qs(parts.query) == {"user": [NATIONAL_USER]}
    assert guest.find_element(By.CSS_SELECTOR, "main form.filters-form input[name=user]").get_attribute("value") == NATIONAL_USER
    rows = audit_rows(guest)
    assert rows and {user for user, _ in rows} == {NATIONAL_USER}, rows
    assert (NATIONAL_USER, "sign in") in rows


# --------------------------------------------------------------------------------------------
# Tests: project plans, baselines, exports and calendars
# --------------------------------------------------------------------------------------------

PLAN_CSV = """\
id,wbs,name,duration_days,summary,constraint,constraint_date,nsi_milestone,predecessors,start,finish
1,1,Deployment,0,true,,,,,,
2,1.1,Initiation commenced,0,false,SNET,2026-12-01,initiation-commenced,,,
3,1.2,Project initiation,10,false,,,,2FS,,
4,1.3,Initiation completed,0,false,,,initiation-completed,3FS,,
5,1.4,Local design,20,false,,,,4FS,,
6,1.5,Local design completed,0,false,,,local-design-completed,5FS,,
7,1.6,Build and test,15,false,,,,6FS,,
8,1.7,Training,5,false,,,,6FS+2,,
9,1.8,Preparation for go-live completed,0,false,,,preparation-for-go-live-completed,7FS;8FS,,
10,1.9,Go-live completed,0,false,,,go-live-completed,9FS+2,,
11,1.10,Implementation completed,0,false,,,implementation-completed,10FS+20,,
"""
# The same plan with Project initiation also waiting for Initiation completed, which waits for it.
LOOPED_PLAN_CSV = PLAN_CSV.replace("\n3,1.2,Project initiation,10,false,,,,2FS,,\n",
                                   "\n3,1.2,Project initiation,10,false,,,,2FS;4FS,,\n")
assert LOOPED_PLAN_CSV != PLAN_CSV
PLAN_TASKS = 11
PLAN_DEPENDENCIES = 10
# What PLAN_CSV schedules to on the England and Wales calendar with no local exceptions:
# task name -> (early start, early finish, late start, late finish, total float in working days).
PLAN_SCHEDULE = {
    "Deployment": ("2026-12-01", "2027-03-09", "2026-12-01", "2027-03-09", "0"),
    "Initiation commenced": ("2026-12-01", "2026-12-01", "2026-12-01", "2026-12-01", "0"),
    "Project initiation": ("2026-12-01", "2026-12-14", "2026-12-01", "2026-12-14", "0"),
    "Initiation completed": ("2026-12-15", "2026-12-15", "2026-12-15", "2026-12-15", "0"),
    "Local design": ("2026-12-15", "2027-01-14", "2026-12-15", "2027-01-14", "0"),
    "Local design completed": ("2027-01-15", "2027-01-15", "2027-01-15", "2027-01-15", "0"),
    "Build and test": ("2027-01-15", "2027-02-04", "2027-01-15", "2027-02-04", "0"),
    # Starts two days after Local design completed and could slip 8 days without delaying go-live.
    "Training": ("2027-01-19", "2027-01-25", "2027-01-29", "2027-02-04", "8"),
    "Preparation for go-live completed": ("2027-02-05", "2027-02-05", "2027-02-05", "2027-02-05", "0"),
    "Go-live completed": ("2027-02-09", "2027-02-09", "2027-02-09", "2027-02-09", "0"),
    "Implementation completed": ("2027-03-09", "2027-03-09", "2027-03-09", "2027-03-09", "0"),
}
PLAN_FINISH = "2027-03-09"
CRITICAL_BARS = ["Project initiation", "Local design", "Build and test"]
MILESTONE_TASKS = ["Initiation commenced", "Initiation completed", "Local design completed",
                   "Preparation for go-live completed", "Go-live completed", "Implementation completed"]


def write_file(directory, name, text):
    path = Path(directory) / name
    path.write_text(text, encoding="utf-8")
    return path


def open_plan(driver, server, code):
    """Opens the project page and follows its link to the plan page."""
    open_project(driver, server, code)
    link = driver.find_element(By.XPATH, "//main//a[normalize-space()='Project plan and Gantt']")
    assert link.get_dom_attribute("href") == f"/projects/{code}/plan"
    click_and_wait(driver, link)
    assert path_of(driver) == f"/projects/{code}/plan"
    assert_plan_page(driver, code)


def assert_plan_page(driver, code):
    assert h1(driver) == f"Plan for {code}"
    assert driver.title == f"Plan for {code} · Waymark"
    assert breadcrumbs(driver) == [(f"Project {code}", f"/projects/{code}"), (f"Plan for {code}", None)]


def gantts(driver):
    return driver.find_elements(By.CSS_SELECTOR, "main svg.chart.gantt")


def export_links(driver, code):
    """{link text: href} of the plan page's export links."""
    links = driver.find_elements(By.CSS_SELECTOR, f"main a[href^='/projects/{code}/plan.']")
    return {a.text.strip(): a.get_dom_attribute("href") for a in links}


def plan_version(driver, code):
    form = driver.find_element(By.CSS_SELECTOR, f"main form[action='/projects/{code}/plan']")
    return form.find_element(By.CSS_SELECTOR, "input[type=hidden][name=version]").get_attribute("value")


def import_plan(driver, code, path):
    """Chooses CSV and the file in the plan page's import form and submits it."""
    form = driver.find_element(By.CSS_SELECTOR, f"main form[action='/projects/{code}/plan']")
    assert form.get_attribute("method") == "post"
    assert form.get_attribute("enctype") == "multipart/form-data"
    assert form.find_element(By.CSS_SELECTOR, "input[type=hidden][name=csrf]").get_attribute("value")
    select = Select(form.find_element(By.CSS_SELECTOR, "select[name=format]"))
    assert [o.get_attribute("value") for o in select.options] == ["mspdi", "xer", "csv"]
    select.select_by_value("csv")
    assert select.first_selected_option.get_attribute("value") == "csv"
    chooser = form.find_element(By.ID, "plan-file")
    assert chooser.get_attribute("name") == "file" and chooser.get_attribute("type") == "file"
    chooser.send_keys(str(path))
    assert chooser.get_attribute("value").endswith(path.name), chooser.get_attribute("value")
    click_and_wait(driver, form.find_element(By.XPATH, ".//button[@type='submit'][normalize-space()='Import plan']"))
    assert path_of(driver) == f"/projects/{code}/plan"
    assert_plan_page(driver, code)


def import_valid_plan(driver, server, code, directory, name):
    """Imports PLAN_CSV into `code` through the browser and checks it was taken."""
    open_plan(driver, server, code)
    import_plan(driver, code, write_file(directory, name, PLAN_CSV))
    notice = driver.find_element(By.CSS_SELECTOR, "main .notice.success")
    assert "Plan imported" in notice.text, notice.text
    assert len(gantts(driver)) == 1


def schedule_table(driver):
    """{task name: (early start, early finish, late start, late finish, total float)} and the
    names of the rows marked critical, from the plan page's schedule table."""
    table = driver.find_element(By.XPATH, "//main//table[.//th[normalize-space()='Early start']]")
    headers = [th.text.strip() for th in table.find_elements(By.CSS_SELECTOR, "thead th")]
    assert headers[:9] == ["WBS", "Task", "Days", "Early start", "Early finish", "Late start", "Late finish",
                           "Total float", "Free float"], headers
    assert headers[10].startswith("Variance"), headers
    rows, critical = {}, []
    for row in table.find_elements(By.CSS_SELECTOR, "tbody tr"):
        cells = [td.text.strip() for td in row.find_elements(By.TAG_NAME, "td")]
        name = cells[1].split(" NSI: ")[0].strip()
        rows[name] = tuple(cells[3:8])
        if "critical-row" in (row.get_attribute("class") or "").split():
            critical.append(name)
    return rows, critical


def variance_column(driver):
    table = driver.find_element(By.XPATH, "//main//table[.//th[normalize-space()='Early start']]")
    return {row.find_elements(By.TAG_NAME, "td")[1].text.split(" NSI: ")[0].strip():
            row.find_elements(By.TAG_NAME, "td")[10].text.strip()
            for row in table.find_elements(By.CSS_SELECTOR, "tbody tr")}


def card_value(driver, label):
    cards = [c for c in driver.find_elements(By.CSS_SELECTOR, "main .cards .card")
             if c.find_element(By.CSS_SELECTOR, ".label").text.strip() == label]
    assert len(cards) == 1, f"{len(cards)} cards labelled {label!r}"
    return cards[0].find_element(By.CSS_SELECTOR, ".value").text.strip()


def svg_titles(elements):
    return [e.find_element(By.CSS_SELECTOR, "title").get_attribute("textContent") for e in elements]


def as_browser(driver):
    """Headers that send the main browser's own session cookie."""
    return {"Cookie": f"{SESSION_COOKIE}={driver.waymark_session}"}


def multipart(fields, files):
    """(body, content type) of a multipart/form-data post."""
    boundary = f"waymark-test-{time.time_ns()}"
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n')
    for name, (filename, text) in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     f'Content-Type: text/csv\r\n\r\n{text}\r\n')
    parts.append(f"--{boundary}--\r\n")
    return "".join(parts).encode(), f"multipart/form-data; boundary={boundary}"


@pytest.mark.js_both
def test_plan_import_shows_gantt_and_saves_a_baseline(driver, server, js_mode, tmp_path):
    code = server.claim_project()
    open_plan(driver, server, code)
    # A project no test has touched has no plan: no Gantt, schedule, exports or baseline form yet.
    assert not gantts(driver)
    assert "This project has no plan yet." in driver.find_element(By.TAG_NAME, "main").text
    assert not export_links(driver, code)
    assert not driver.find_elements(By.CSS_SELECTOR, f"form[action='/projects/{code}/plan/baselines']")
    assert plan_version(driver, code) == ""

    filename = f"waymark-plan-{js_mode}.csv"
    import_plan(driver, code, write_file(tmp_path, filename, PLAN_CSV))
    notice = driver.find_element(By.CSS_SELECTOR, "main .notice.success")
    assert notice.is_displayed()
    assert notice.find_element(By.TAG_NAME, "h2").text.strip() == "Plan imported"
    assert f"{PLAN_TASKS} tasks and {PLAN_DEPENDENCIES} dependencies from {filename}" in notice.text, notice.text
    assert not driver.find_elements(By.CSS_SELECTOR, "main .notice.error")
    assert card_value(driver, "Tasks") == str(PLAN_TASKS)
    assert card_value(driver, "Planned finish") == PLAN_FINISH
    # Every task but Training has no float; the Deployment summary is not counted as a task.
    assert card_value(driver, "Critical tasks") == str(PLAN_TASKS - 2)

    # The Gantt: critical bars, the one task with float, milestone diamonds, arrows for every link.
    charts = gantts(driver)
    assert len(charts) == 1
    chart = charts[0]
    assert chart.is_displayed()
    assert chart.size["width"] > 300 and chart.size["height"] > 100, chart.size
    assert chart.get_attribute("aria-label") == f"Gantt chart of {PLAN_TASKS} tasks"
    critical = chart.find_elements(By.CSS_SELECTOR, "rect.bar.critical")
    assert svg_titles(critical) == [
        f"{name}: {PLAN_SCHEDULE[name][0]} to {PLAN_SCHEDULE[name][1]} (critical)" for name in CRITICAL_BARS]
    assert all(r.size["width"] > 0 for r in critical)
    assert svg_titles(chart.find_elements(By.CSS_SELECTOR, "rect.bar.task")) == [
        "Training: 2027-01-19 to 2027-01-25"]
    milestones = chart.find_elements(By.CSS_SELECTOR, "polygon.milestone")
    assert [t.split(":")[0] for t in svg_titles(milestones)] == MILESTONE_TASKS
    assert all("critical" in m.get_attribute("class").split() for m in milestones)
    assert len(chart.find_elements(By.CSS_SELECTOR, "rect.summary")) == 1
    arrows = chart.find_elements(By.CSS_SELECTOR, "path.link")
    assert len(arrows) == PLAN_DEPENDENCIES
    assert all(a.get_attribute("marker-end") == "url(#arrow)" for a in arrows)
    # Every link but the one into Training (which has float) joins two critical tasks.
    assert len(chart.find_elements(By.CSS_SELECTOR, "path.link.critical")) == PLAN_DEPENDENCIES - 2

    rows, critical_rows = schedule_table(driver)
    assert rows == PLAN_SCHEDULE
    assert critical_rows == [n for n in PLAN_SCHEDULE if n not in ("Deployment", "Training")]
    assert set(variance_column(driver).values()) == {"–"}
    assert "Save a baseline to see variance." in driver.find_element(By.TAG_NAME, "main").text

    # Save a baseline: back on the plan page with variance against it.
    baseline = f"browser {js_mode} {time.time_ns()}"
    form = driver.find_element(By.CSS_SELECTOR, f"main form[action='/projects/{code}/plan/baselines']")
    assert form.get_attribute("method") == "post"
    box = form.find_element(By.CSS_SELECTOR, "input[name=name]")
    box.send_keys(baseline)
    click_and_wait(driver, form.find_element(By.XPATH, ".//button[@type='submit'][normalize-space()='Save baseline']"))
    assert path_of(driver) == f"/projects/{code}/plan?baseline-saved=1"
    assert driver.find_element(By.CSS_SELECTOR, "main .notice.success").text.strip() == "Baseline saved."
    line = driver.find_element(By.XPATH, "//main//p[starts-with(normalize-space(), 'Variance against baseline:')]")
    current = line.find_element(By.CSS_SELECTOR, "a[aria-current='true']")
    assert current.text.strip() == baseline
    assert current.get_dom_attribute("href") == f"/projects/{code}/plan?baseline=" + urllib.parse.quote(baseline)
    variances = variance_column(driver)
    assert variances == {name: "on baseline" for name in PLAN_SCHEDULE}, variances
    table = driver.find_element(By.XPATH, "//main//table[.//th[normalize-space()='Early start']]")
    assert table.find_elements(By.CSS_SELECTOR, "thead th")[10].text.strip() == f"Variance ({baseline})"
    assert len(gantts(driver)[0].find_elements(By.CSS_SELECTOR, "rect.baseline")) == PLAN_TASKS
    assert schedule_table(driver)[0] == PLAN_SCHEDULE

    # The exports download the plan, with its schedule, over the browser's own session.
    assert export_links(driver, code) == {"Microsoft Project XML": f"/projects/{code}/plan.xml",
                                          "Primavera XER": f"/projects/{code}/plan.xer",
                                          "CSV": f"/projects/{code}/plan.csv"}
    status, headers, body = http_request(server.url(f"/projects/{code}/plan.xml"), headers=as_browser(driver))
    assert status == 200, body[:500]
    assert headers["Content-Type"].startswith("application/xml")
    assert headers["Content-Disposition"] == f'attachment; filename="{code}-plan.xml"'
    assert '<Project xmlns="http://schemas.microsoft.com/project">' in body
    assert f"<Name>{code}</Name>" in body
    for name in PLAN_SCHEDULE:
        assert f"<Name>{name}</Name>" in body, name
    assert "<Baseline>" in body, "the saved baseline is not in the MS Project export"
    status, headers, body = http_request(server.url(f"/projects/{code}/plan.xer"), headers=as_browser(driver))
    assert status == 200 and body.startswith("ERMHDR")
    assert headers["Content-Disposition"] == f'attachment; filename="{code}-plan.xer"'
    status, headers, body = http_request(server.url(f"/projects/{code}/plan.csv"), headers=as_browser(driver))
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    exported = {r["name"]: r for r in csv.DictReader(body.lstrip("\ufeff").splitlines())}
    for name, dates in PLAN_SCHEDULE.items():
        assert (exported[name]["start"], exported[name]["finish"]) == dates[:2], exported[name]
    # Without a session the export is not handed out.
    status, headers, _ = http_request(server.url(f"/projects/{code}/plan.xml"))
    assert status == 303 and headers["Location"].startswith("/sign-in")
    assert not csp_errors(driver), csp_errors(driver)


def test_plan_with_a_dependency_loop_is_refused(driver, server, js_mode, tmp_path):
    code = server.claim_project()
    looped = write_file(tmp_path, f"looped-{js_mode}.csv", LOOPED_PLAN_CSV)

    def assert_refused():
        assert path_of(driver) == f"/projects/{code}/plan"
        box = driver.find_element(By.CSS_SELECTOR, "main .notice.error[role=alert]")
        assert box.is_displayed()
        assert box.find_element(By.TAG_NAME, "h2").text.strip() == "Not imported"
        assert "loop" in box.text and "Nothing was changed" in box.text, box.text
        assert "Plan imported" not in driver.find_element(By.TAG_NAME, "main").text

    # With no plan before, the refused file leaves none.
    open_plan(driver, server, code)
    assert not gantts(driver)
    import_plan(driver, code, looped)
    assert_refused()
    assert not gantts(driver)
    assert "This project has no plan yet." in driver.find_element(By.TAG_NAME, "main").text
    assert not export_links(driver, code)
    open_plan(driver, server, code)
    assert not gantts(driver) and not driver.find_elements(By.CSS_SELECTOR, "main .notice")

    # With a plan, the refused file leaves it exactly as it was.
    import_valid_plan(driver, server, code, tmp_path, f"valid-{js_mode}.csv")
    before_rows = schedule_table(driver)
    before_version = plan_version(driver, code)
    assert before_rows[0] == PLAN_SCHEDULE and before_version
    import_plan(driver, code, looped)
    assert_refused()
    assert len(gantts(driver)) == 1
    assert schedule_table(driver) == before_rows
    assert plan_version(driver, code) == before_version
    assert card_value(driver, "Planned finish") == PLAN_FINISH

    open_plan(driver, server, code)
    assert not driver.find_elements(By.CSS_SELECTOR, "main .notice.error")
    assert schedule_table(driver) == before_rows
    assert plan_version(driver, code) == before_version
    _, _, body = http_get(server.url(f"/projects/{code}/plan.csv"), jar=server.jar())
    assert "2FS;4FS" not in body and "3,1.2,Project initiation,10,,,,,2," in body


def test_board_member_sees_the_plan_read_only(driver, guest, server, js_mode, tmp_path):
    code = server.claim_among(server.project_codes(username="demo-board"))
    import_valid_plan(driver, server, code, tmp_path, f"board-{js_mode}.csv")
    version = plan_version(driver, code)

    sign_in(guest, server, "demo-board")
    open_plan(guest, server, code)
    charts = gantts(guest)
    assert len(charts) == 1 and charts[0].is_displayed()
    assert len(charts[0].find_elements(By.CSS_SELECTOR, "rect.bar.critical")) == len(CRITICAL_BARS)
    assert schedule_table(guest)[0] == PLAN_SCHEDULE
    assert export_links(guest, code) == export_links(driver, code)
    # Nothing to change the plan with.
    assert not guest.find_elements(By.CSS_SELECTOR, "main form")
    assert not guest.find_elements(By.CSS_SELECTOR, "main input, main select, main textarea, main button")
    headings = [h.text.strip() for h in guest.find_elements(By.CSS_SELECTOR, "main h2")]
    assert "Gantt" in headings and "Schedule" in headings, headings
    assert "Import a plan" not in headings and "Save a baseline" not in headings, headings
    assert not guest.find_elements(By.XPATH, "//button[normalize-space()='Import plan' or normalize-space()='Save baseline']")
    assert signed_in_as(guest) == DEMO_USERS["demo-board"]

    # The board member's organisation plans page lists the plan, with no calendar form.
    open_project(guest, server, code)
    site = [href for _, href in breadcrumbs(guest) if href and href.startswith("/organisations/")][-1]
    guest.get(server.url(f"{site}/plans"))
    wait_for_page(guest)
    assert guest.find_elements(By.CSS_SELECTOR, f"main ul a[href='/projects/{code}/plan']")
    assert not guest.find_elements(By.CSS_SELECTOR, "main form")
    assert not guest.find_elements(By.XPATH, "//button[normalize-space()='Add exception']")

    # Posting an import anyway is refused and changes nothing.
    jar = http_sign_in(server, "demo-board")
    _, _, page = http_get(server.url(f"/projects/{code}/plan"), jar=jar)
    data, content_type = multipart({"csrf": form_values(page)["csrf"], "version": version, "format": "csv"},
                                   {"file": ("longer.csv", PLAN_CSV.replace("Training,5,", "Training,50,"))})
    status, _, body = http_request(server.url(f"/projects/{code}/plan"), data=data, jar=jar,
                                   headers={"Content-Type": content_type, "Origin": server.base})
    assert status == 403, body[:500]
    open_plan(driver, server, code)
    assert plan_version(driver, code) == version
    assert schedule_table(driver)[0] == PLAN_SCHEDULE


def test_calendar_exception_is_listed_and_moves_the_plan(driver, server, js_mode, tmp_path):
    code = server.claim_project()
    open_project(driver, server, code)
    site = [href for _, href in breadcrumbs(driver) if href and href.startswith("/organisations/")][-1]
    site_code = site.rsplit("/", 1)[1]
    # Keep the site's other projects away from the other tests: the exception moves their plans too.
    server.reserve(server.project_codes(f"/projects?within={site_code}"))
    import_valid_plan(driver, server, code, tmp_path, f"calendar-{js_mode}.csv")
    assert card_value(driver, "Planned finish") == PLAN_FINISH

    driver.get(server.url(site))
    wait_for_page(driver)
    site_name = h1(driver)
    link = driver.find_element(By.XPATH, "//main//a[normalize-space()='Plans and cross-project dependencies']")
    assert link.get_dom_attribute("href") == f"{site}/plans"
    click_and_wait(driver, link)
    assert path_of(driver) == f"{site}/plans"
    assert h1(driver) == f"Plans in {site_name}"
    main = driver.find_element(By.TAG_NAME, "main")
    listed = [li.text.strip() for li in main.find_elements(By.XPATH, "./ul/li")]
    assert f"{code} finishes {PLAN_FINISH}" in listed, listed
    assert re.search(rf"\b{len(listed)} planned projects\b", main.text), main.text
    assert len(gantts(driver)) == 1
    assert "No local exceptions" in main.text

    # A day the site does not work, in the middle of Project initiation (on the critical path).
    day = datetime.date(2026, 12, 2)
    note = f"site closed {js_mode} {time.time_ns()}"
    form = driver.find_element(By.CSS_SELECTOR, f"main form[action='{site}/calendar']")
    assert form.get_attribute("method") == "post"
    day_box = form.find_element(By.CSS_SELECTOR, "input[name=day]")
    assert day_box.get_attribute("type") == "date"
    day_box.send_keys(day.strftime("%m%d%Y"))
    assert day_box.get_attribute("value") == iso(day)
    working = Select(form.find_element(By.CSS_SELECTOR, "select[name=working]"))
    working.select_by_value("0")
    assert working.first_selected_option.text.strip() == "does not work"
    form.find_element(By.CSS_SELECTOR, "input[name=note]").send_keys(note)
    click_and_wait(driver, form.find_element(By.XPATH, ".//button[@type='submit'][normalize-space()='Add exception']"))

    assert path_of(driver) == f"{site}/plans?saved=1"
    assert driver.find_element(By.CSS_SELECTOR, "main .notice.success").text.strip() == "Calendar exception saved."
    rows = [[td.text.strip() for td in tr.find_elements(By.TAG_NAME, "td")]
            for tr in driver.find_elements(By.CSS_SELECTOR, "main table tbody tr")]
    assert [iso(day), "does not work", note] in rows, rows
    # The plan now finishes a working day later (Tuesday 9 to Wednesday 10 March 2027).
    main = driver.find_element(By.TAG_NAME, "main")
    listed = [li.text.strip() for li in main.find_elements(By.XPATH, "./ul/li")]
    assert f"{code} finishes 2027-03-10" in listed, listed

    open_plan(driver, server, code)
    assert card_value(driver, "Calendar") == "England and Wales with 1 local exception"
    assert card_value(driver, "Planned finish") == "2027-03-10"
    rows, _ = schedule_table(driver)
    assert rows["Project initiation"][:2] == ("2026-12-01", "2026-12-15")
    assert rows["Implementation completed"][0] == "2027-03-10"


# --------------------------------------------------------------------------------------------
# Tests: CSRF and CSP, over plain HTTP
# --------------------------------------------------------------------------------------------

def test_cross_site_form_post_is_refused(server):
    code = server.claim_project()
    page_url = server.url(f"/projects/{code}")
    post_url = server.url(f"/projects/{code}/milestones")
    signed_in = server.jar()
    # A signed-in session whose browser has no CSRF cookie yet, so the page hands one out.
    jar = cookies_only(http_sign_in(server, NATIONAL_USER), SESSION_COOKIE)
    session_only = cookies_only(jar, SESSION_COOKIE)
    status, headers, body = http_get(page_url, jar=jar)
    assert status == 200
    assert f"{CSRF_COOKIE}=" in (headers.get("Set-Cookie") or "")
    assert "HttpOnly" in headers["Set-Cookie"] and "SameSite=Strict" in headers["Set-Cookie"]
    assert {c.name for c in jar} == {SESSION_COOKIE, CSRF_COOKIE}
    fields = form_values(body)
    before = milestone_values(body)
    token, version = fields["csrf"], fields["version"]
    name = "forecast.initiation-completed"
    new_value = iso(parse_iso(before[name]) + datetime.timedelta(days=11))
    form = {name: new_value, "version": version}
    content_type = {"Content-Type": "application/x-www-form-urlencoded"}

    def post(data, headers, cookies):
        return http_request(post_url, data=urllib.parse.urlencode(data).encode(), headers=dict(content_type, **headers),
                            jar=cookies)

    # A forged post from another site with no cookies at all is not even signed in: it goes to
    # the sign-in form (a POST is not sent back to after sign-in).
    status, headers, body = post(form, {"Origin": "https://evil.example"}, cookies=None)
    assert status == 303, body
    assert headers["Location"] == "/sign-in"
    assert "Content-Security-Policy" in headers
    # The victim's session cookie, but no CSRF cookie or token, from a foreign Origin.
    status, headers, body = post(form, {"Origin": "https://evil.example"}, cookies=session_only)
    assert status == 403, body
    assert "Content-Security-Policy" in headers
    # The session cookie, no CSRF cookie or token, and no Origin either.
    status, _, _ = post(form, {}, cookies=session_only)
    assert status == 403
    # The browser's cookies but no token (what a cross-site form could at best achieve).
    status, _, _ = post(form, {}, cookies=jar)
    assert status == 403
    # A token the attacker guessed.
    status, _, _ = post(dict(form, csrf="A" * 43), {}, cookies=jar)
    assert status == 403
    # The right token without the CSRF cookie it must match.
    status, _, _ = post(dict(form, csrf=token), {}, cookies=session_only)
    assert status == 403
    # Even the right cookie and token are refused from a foreign Origin.
    status, _, body = post(dict(form, csrf=token), {"Origin": "https://evil.example"}, cookies=jar)
    assert status == 403
    assert "another site" in body

    _, _, body = http_get(page_url, jar=signed_in)
    assert milestone_values(body) == before, "a refused post changed stored dates"

    # The sign-in form is protected too: the right password without the form's token opens no session.
    fresh = http.cookiejar.CookieJar()
    status, _, _ = http_get(server.url("/sign-in"), jar=fresh)
    assert status == 200 and {c.name for c in fresh} == {CSRF_COOKIE}
    status, _, _ = http_request(server.url("/sign-in"), headers=content_type, jar=fresh, data=urllib.parse.urlencode(
        {"username": NATIONAL_USER, "password": DEMO_PASSWORD, "next": "/"}).encode())
    assert status == 403
    assert SESSION_COOKIE not in {c.name for c in fresh}

    # Control: the same post from the site itself is accepted, so the refusals were CSRF's doing.
    status, headers, _ = post(dict(form, csrf=token), {"Origin": server.base}, cookies=jar)
    assert status == 303
    assert headers["Location"] == f"/projects/{code}?saved=1"
    _, _, body = http_get(page_url, jar=signed_in)
    assert milestone_values(body)[name] == new_value


def _assert_csp(url, status, headers):
    csp = headers.get("Content-Security-Policy")
    assert csp, f"{url} ({status}) has no Content-Security-Policy header"
    assert "'unsafe-inline'" not in csp, f"{url}: {csp}"
    assert "'unsafe-eval'" not in csp, f"{url}: {csp}"
    assert "default-src" in csp, f"{url}: {csp}"


def test_every_response_has_a_strict_csp(server):
    # Crawl the site's own links breadth-first from the dashboard (bounded), signed in as the
    # national office, checking each response.
    jar = server.jar()
    seen, queue, checked = set(), ["/"], 0
    kinds = set()
    while queue and checked < 120:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        status, headers, body = http_get(server.url(path), jar=jar)
        _assert_csp(path, status, headers)
        assert status == 200, f"{path} answered {status}"
        checked += 1
        kinds.add(urllib.parse.urlsplit(path).path.split("/")[1] if path != "/" else "")
        if "text/html" in (headers.get("Content-Type") or ""):
            for href in re.findall(r'href="([^"]+)"', body):
                href = html.unescape(href)
                if href.startswith("/") and not href.startswith("//") and "#" not in href and href not in seen:
                    queue.append(href)
    assert {"", "organisations", "projects", "static", "account", "audit"} <= kinds, kinds

    # Pages the crawl does not reach, error responses, and what a signed-out visitor gets.
    code = server.claim_project()
    for path, expected, signed in [
            ("/search?q=Leeds", 200, True), ("/search", 200, True), (f"/projects/{code}", 200, True),
            ("/projects?within=Q01&stage=2", 200, True), ("/projects/export.csv", 200, True),
            ("/audit?user=demo-npo", 200, True), ("/account", 200, True),
            ("/health", 200, False), ("/api/v1/openapi.yaml", 200, False), ("/sign-in", 200, False),
            ("/", 303, False), (f"/projects/{code}", 303, False), ("/no/such/page", 303, False),
            ("/organisations/NOPE", 404, True), ("/projects/NOPE-N3", 404, True), ("/no/such/page", 404, True),
            ("/projects?type=bogus", 400, True), ("/audit?from=yesterday", 400, True)]:
        status, headers, _ = http_get(server.url(path), jar=jar if signed else None)
        assert status == expected, f"{path} ({'signed in' if signed else 'signed out'}) answered {status}"
        _assert_csp(path, status, headers)
        if status == 303:
            assert headers["Location"].startswith("/sign-in"), headers["Location"]

    # A refused post (303 signed out, 403 without the CSRF token) and a failed save (422).
    jar = http_sign_in(server, NATIONAL_USER)
    _, _, body = http_get(server.url(f"/projects/{code}"), jar=jar)
    fields = form_values(body)
    post_url = server.url(f"/projects/{code}/milestones")
    for data, cookies, expected in [
        ({"forecast.initiation-completed": "2027-01-01"}, None, 303),
        ({"forecast.initiation-completed": "2027-01-01"}, cookies_only(jar, SESSION_COOKIE), 403),
        ({"csrf": fields["csrf"], "version": fields["version"], "forecast.initiation-completed": "31/13/2026"}, jar, 422),
    ]:
        status, headers, body = http_request(post_url, data=urllib.parse.urlencode(data).encode(),
                                             headers={"Content-Type": "application/x-www-form-urlencoded"},
                                             jar=cookies)
        assert status == expected, f"POST {data} answered {status}"
        _assert_csp(post_url, status, headers)
    assert 'id="forecast-initiation-completed-error"' in body
