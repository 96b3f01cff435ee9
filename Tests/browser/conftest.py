"""Shared fixtures and helpers for the real-browser tests (one server and browser per session).

Starts `waymark serve --demo` on a fresh SQLite file and a free port, then drives headless
Debian Chromium through selenium. Every browser test runs with JavaScript disabled (every page
must work without it); those marked js_both run with it enabled too. The CSRF and Content-Security-Policy
checks use urllib, not the browser.

Every page but the sign-in form needs a signed-in user. The main browser signs in once per browser
session as demo-npo (the National Programme Office, which sees everything) through the real
sign-in form; a second "guest" browser starts each test with no cookies, for the tests of signing
in and out and of the other demo users. urllib checks sign in through the same form over HTTP.

Run with `scripts/browser-test`, or `python3 -m pytest -q Tests/browser` from the repository
root once `waymark` is built. WAYMARK_BIN overrides the binary (default .build/debug/waymark).
"""

import csv
import datetime
import html
import http.cookiejar
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

REPO_ROOT = Path(__file__).resolve().parents[2]
CLUSTERS = ["CNE", "CEA", "CNW", "CLD", "CSO"]
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
LSP_MILESTONES = [
    "initiation-commenced", "initiation-completed", "local-design-completed",
    "preparation-for-go-live-completed", "go-live-completed", "implementation-completed",
]
WAIT = 20
DEMO_PASSWORD = "waymark-demo-only"
NATIONAL_USER = "demo-npo"
SESSION_COOKIE = "waymark_session"
CSRF_COOKIE = "waymark_csrf"
# The header's name and role for each demo user the tests sign in as.
DEMO_USERS = {
    "demo-npo": ("Demo National Programme Office", "National Programme Office"),
    "demo-board": ("Demo Project Board Member", "Project Board member"),
    "demo-supplier": ("Demo Supplier Implementer", "Supplier implementer"),
    "demo-auditor": ("Demo Auditor", "Read-only auditor"),
    "demo-trust-pm": ("Demo Trust Project Manager", "Trust project manager"),
    "demo-sha": ("Demo SHA Programme Office", "SHA programme office"),
    "demo-ra": ("Demo RA Manager", "RA manager"),
    "demo-ra-agent": ("Demo RA Agent", "RA agent"),
}


# --------------------------------------------------------------------------------------------
# Server
# --------------------------------------------------------------------------------------------

def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, base, process, workdir):
        self.base = base
        self.process = process
        self.workdir = workdir
        self._claimed = set()
        self._candidates = None
        self._jars = {}

    def url(self, path):
        return self.base + path

    def jar(self, username=NATIONAL_USER):
        """A cookie jar signed in as `username` over plain HTTP, made once per user."""
        if username not in self._jars:
            self._jars[username] = http_sign_in(self, username)
        return self._jars[username]

    def project_codes(self, path="/projects", username=NATIONAL_USER):
        """The project codes a list page shows `username`, in order."""
        status, _, body = http_get(self.url(path), jar=self.jar(username))
        assert status == 200, f"{path} answered {status} for {username}"
        return re.findall(r'<a href="/projects/([^"?#/]+)">', body)

    def claim_project(self):
        """A project no other test has touched: LSP, stage 1 (Initiation Commenced achieved,
        Initiation Completed not), so every milestone rule can be exercised on it."""
        if self._candidates is None:
            self._candidates = self.project_codes("/projects?type=lsp&stage=1")
            assert len(self._candidates) >= 10, "the demo data has too few LSP stage-1 projects"
        for code in self._candidates:
            if code not in self._claimed:
                self._claimed.add(code)
                return code
        raise AssertionError("ran out of unclaimed LSP stage-1 demo projects")

    def claim_among(self, codes):
        """The first of `codes` no other test has touched, now claimed."""
        for code in codes:
            if code not in self._claimed:
                self._claimed.add(code)
                return code
        raise AssertionError(f"every one of {codes} is already claimed")

    def reserve(self, codes):
        """Keeps every one of `codes` from being claimed by a later test."""
        self._claimed.update(codes)


@pytest.fixture(scope="session")
def server():
    binary = Path(os.environ.get("WAYMARK_BIN", ".build/debug/waymark"))
    if not binary.is_absolute():
        binary = REPO_ROOT / binary
    assert binary.is_file() and os.access(binary, os.X_OK), (
        f"waymark binary not found at {binary}; build it with `swift build --product waymark` or set WAYMARK_BIN")
    workdir = Path(tempfile.mkdtemp(prefix="waymark-browser-"))
    process = None
    try:
        for attempt in range(3):
            port = _free_port()
            database = workdir / f"demo-{attempt}.sqlite"
            log = open(workdir / f"server-{attempt}.log", "wb")
            process = subprocess.Popen(
                [str(binary), "serve", "--demo", "--database", f"sqlite:{database}", "--port", str(port)],
                cwd=workdir, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True)
            log.close()
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 120
            healthy = False
            while time.monotonic() < deadline and process.poll() is None:
                try:
                    with urllib.request.urlopen(base + "/health", timeout=2) as response:
                        if response.status == 200 and response.read().decode().strip() == "ok":
                            healthy = True
                            break
                except (urllib.error.URLError, ConnectionError, OSError):
                    pass
                time.sleep(0.2)
            if healthy:
                break
            output = (workdir / f"server-{attempt}.log").read_text(errors="replace")
            _stop(process)
            process = None
            if attempt == 2 or "address already in use" not in output.lower():
                raise AssertionError(f"waymark serve did not become healthy on port {port}:\n{output[-4000:]}")
        yield Server(base, process, workdir)
    finally:
        if process is not None:
            _stop(process)
        shutil.rmtree(workdir, ignore_errors=True)


def _stop(process):
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


# --------------------------------------------------------------------------------------------
# Browser
# --------------------------------------------------------------------------------------------

def pytest_configure(config):
    config.addinivalue_line("markers", "js_both: run with JavaScript enabled as well as disabled")


def pytest_generate_tests(metafunc):
    """Every browser test runs with JavaScript disabled, the mode every page must work in. Waymark
    sends no script and its CSP (default-src 'none') forbids any, so an enabled run differs only
    in the browser: the forms marked js_both run in both modes to keep showing that."""
    if "js_mode" in metafunc.fixturenames:
        both = metafunc.definition.get_closest_marker("js_both") is not None
        metafunc.parametrize("js_mode", ["js-on", "js-off"] if both else ["js-off"], indirect=True, scope="session")


@pytest.fixture(scope="session")
def js_mode(request):
    return request.param


def _start_chrome(js_mode):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--lang=en-US", "--window-size=1400,1000"]:
        options.add_argument(argument)
    prefs = {"intl.accept_languages": "en-US"}
    if js_mode == "js-off":
        prefs["profile.managed_default_content_settings.javascript"] = 2
    options.add_experimental_option("prefs", prefs)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        driver.set_page_load_timeout(60)
        # Prove the mode took effect: a page script either runs or it does not.
        driver.get("data:text/html,<title>static</title><script>document.title='scripted'</script>")
        expected = "scripted" if js_mode == "js-on" else "static"
        assert driver.title == expected, f"JavaScript mode {js_mode} not in effect (title {driver.title!r})"
    except BaseException:
        driver.quit()
        raise
    return driver


@pytest.fixture(scope="session")
def browser(js_mode, server):
    """The main browser, signed in as demo-npo once, through the sign-in form, for the session."""
    driver = _start_chrome(js_mode)
    try:
        sign_in(driver, server, NATIONAL_USER)
        cookie = driver.get_cookie(SESSION_COOKIE)
        assert cookie and cookie["value"], "signing in set no session cookie"
        driver.waymark_session = cookie["value"]
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def driver(browser, server):
    """The main browser, still signed in as demo-npo with the session it signed in with."""
    if not browser.current_url.startswith(server.base):
        browser.get(server.url("/health"))
    cookie = browser.get_cookie(SESSION_COOKIE)
    assert cookie and cookie["value"] == browser.waymark_session, "the demo-npo browser lost its session"
    return browser


@pytest.fixture(scope="session")
def guest_browser(js_mode):
    driver = _start_chrome(js_mode)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def guest(guest_browser, server):
    """A second browser, signed out (no cookies at all) at the start of each test."""
    guest_browser.get(server.url("/health"))
    guest_browser.delete_all_cookies()
    assert guest_browser.get_cookies() == []
    return guest_browser


def click_and_wait(driver, element):
    """Clicks a link or button and waits for the next page to replace this one."""
    old = driver.find_element(By.TAG_NAME, "html")
    element.click()
    wait_replaced(driver, old)
    WebDriverWait(driver, WAIT).until(EC.presence_of_element_located((By.TAG_NAME, "footer")))


def wait_replaced(driver, old):
    """Waits until `old` (the previous page's root) is gone."""
    def replaced(_):
        # Mid-navigation chromedriver sometimes answers with an "unhandled inspector error"
        # instead of a stale-element error; either way the old page is gone.
        try:
            old.is_enabled()
            return False
        except WebDriverException:
            return True

    WebDriverWait(driver, WAIT).until(replaced)


def h1(driver):
    return driver.find_element(By.TAG_NAME, "h1").text.strip()


def wait_for_page(driver):
    WebDriverWait(driver, WAIT).until(EC.presence_of_element_located((By.TAG_NAME, "footer")))


def assert_sign_in_form(driver):
    """The page is the sign-in form, shown to a signed-out visitor; returns the form."""
    assert h1(driver) == "Sign in to Waymark"
    assert driver.title == "Sign in · Waymark"
    # A signed-out visitor gets no navigation, search or account header.
    assert not driver.find_elements(By.CSS_SELECTOR, "header .account, header form.search, header nav.mainnav")
    form = driver.find_element(By.CSS_SELECTOR, "main form[action='/sign-in']")
    assert form.get_attribute("method") == "post"
    assert form.find_element(By.CSS_SELECTOR, "input[type=hidden][name=csrf]").get_attribute("value")
    assert form.find_element(By.CSS_SELECTOR, "input[type=hidden][name=next]")
    assert form.find_element(By.ID, "username").get_attribute("name") == "username"
    assert form.find_element(By.ID, "password").get_attribute("type") == "password"
    return form


def submit_sign_in(driver, username, password=DEMO_PASSWORD):
    """Types the username and password into the sign-in form on this page and submits it."""
    form = assert_sign_in_form(driver)
    for field_id, value in (("username", username), ("password", password)):
        element = form.find_element(By.ID, field_id)
        element.clear()
        element.send_keys(value)
        assert element.get_attribute("value") == value
    button = form.find_element(By.XPATH, ".//button[@type='submit'][normalize-space()='Sign in']")
    click_and_wait(driver, button)


def signed_in_as(driver):
    """(name, role) from the page header, or None when the header shows no signed-in user."""
    accounts = driver.find_elements(By.CSS_SELECTOR, "header .account")
    if not accounts:
        return None
    name = accounts[0].find_element(By.CSS_SELECTOR, "a[href='/account']").text.strip()
    return name, accounts[0].find_element(By.CSS_SELECTOR, ".role").text.strip()


def sign_in(driver, server, username, password=DEMO_PASSWORD):
    """Signs in through the sign-in form as a demo user; the browser lands on the home page."""
    driver.get(server.url("/sign-in"))
    wait_for_page(driver)
    submit_sign_in(driver, username, password)
    assert path_of(driver) == "/", f"signing in as {username} landed on {driver.current_url}"
    assert signed_in_as(driver) == DEMO_USERS[username]
    assert driver.get_cookie(SESSION_COOKIE), f"signing in as {username} set no session cookie"


def breadcrumbs(driver):
    """(label, href or None) for each breadcrumb, the current page last."""
    items = driver.find_elements(By.CSS_SELECTOR, "nav.breadcrumbs li")
    crumbs = []
    for item in items:
        links = item.find_elements(By.TAG_NAME, "a")
        crumbs.append((item.text.strip(), links[0].get_dom_attribute("href") if links else None))
    return crumbs


def path_of(driver):
    parts = urllib.parse.urlsplit(driver.current_url)
    return parts.path + ("?" + parts.query if parts.query else "")


def chart_rects(driver):
    chart = driver.find_element(By.CSS_SELECTOR, "svg.chart")
    assert chart.is_displayed()
    return chart, chart.find_elements(By.CSS_SELECTOR, "rect")


def assert_chart(driver):
    chart, rects = chart_rects(driver)
    assert len(rects) >= 1, "the roll-up chart has no bars"
    assert chart.size["width"] > 100 and chart.size["height"] > 50, f"chart not rendered: {chart.size}"
    return chart


def csp_errors(driver):
    try:
        entries = driver.get_log("browser")
    except Exception:  # noqa: BLE001 - the log is a diagnostic extra, not every build offers it
        return []
    return [e["message"] for e in entries if "Content Security Policy" in e.get("message", "")]


# --------------------------------------------------------------------------------------------
# HTTP without the browser
# --------------------------------------------------------------------------------------------

class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: D401
        return None


def _opener(jar=None):
    handlers = [_NoRedirect()]
    if jar is not None:
        handlers.append(urllib.request.HTTPCookieProcessor(jar))
    return urllib.request.build_opener(*handlers)


def http_request(url, data=None, headers=None, jar=None):
    """(status, headers, body) without following redirects or raising on 4xx/5xx."""
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with _opener(jar).open(request, timeout=30) as response:
            return response.status, response.headers, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode("utf-8", "replace")


def http_get(url, jar=None):
    return http_request(url, jar=jar)


def http_sign_in(server, username, password=DEMO_PASSWORD):
    """A new cookie jar signed in as `username` through the sign-in form, over plain HTTP."""
    jar = http.cookiejar.CookieJar()
    status, _, body = http_get(server.url("/sign-in"), jar=jar)
    assert status == 200, f"GET /sign-in answered {status}"
    token = form_values(body)["csrf"]
    data = urllib.parse.urlencode({"csrf": token, "next": "/", "username": username, "password": password}).encode()
    status, headers, _ = http_request(server.url("/sign-in"), data=data, jar=jar,
                                      headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 303 and headers["Location"] == "/", f"signing in as {username} over HTTP answered {status}"
    assert any(c.name == SESSION_COOKIE and c.value for c in jar), "signing in set no session cookie"
    return jar


def cookies_only(jar, *names):
    """A new cookie jar holding only the named cookies of `jar`."""
    kept = http.cookiejar.CookieJar()
    for cookie in jar:
        if cookie.name in names:
            kept.set_cookie(cookie)
    assert {c.name for c in kept} == set(names), f"the jar lacks some of {names}"
    return kept


def form_values(body):
    """The milestone inputs' values in a project page's HTML."""
    values = {}
    for tag in re.findall(r"<input [^>]*>", body):
        name = re.search(r'name="([^"]*)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name:
            values[html.unescape(name.group(1))] = html.unescape(value.group(1)) if value else ""
    return values


def milestone_values(body):
    return {k: v for k, v in form_values(body).items() if k.startswith(("forecast.", "actual."))}


# --------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------

def iso(day):
    return day.isoformat()


def parse_iso(text):
    return datetime.date.fromisoformat(text)


def page_today(driver):
    """The server's 'today' (Europe/London), as the project page states it."""
    hint = driver.find_element(By.CSS_SELECTOR, "p.hint").text
    match = re.search(r"later than today \((\d{4}-\d{2}-\d{2})\)", hint)
    assert match, f"project page does not state today's date: {hint!r}"
    return parse_iso(match.group(1))


def field(driver, name):
    return driver.find_element(By.ID, name.replace(".", "-"))


def type_date(driver, name, day):
    """Types a date into a type=date input as a person would (en-US order mm/dd/yyyy), which
    works with JavaScript off, and checks the browser took it."""
    element = field(driver, name)
    assert element.get_attribute("type") == "date"
    element.clear()
    assert element.get_attribute("value") == "", f"could not clear {name}"
    element.send_keys(day.strftime("%m%d%Y"))
    value = element.get_attribute("value")
    assert value == iso(day), f"typed {day} into {name} but the field holds {value!r}"


def home_code(server, username):
    """The code of a demo user's own organisation, from their home page."""
    status, _, body = http_get(server.url("/"), jar=server.jar(username))
    assert status == 200
    match = re.search(r'<p class="kind">[^<]*· ([A-Z0-9]+)</p>', body)
    assert match, f"no organisation code on {username}'s home page"
    return match.group(1)


def open_project(driver, server, code):
    driver.get(server.url(f"/projects/{code}"))
    wait_for_page(driver)
    assert f"Project {code}" in driver.find_element(By.CSS_SELECTOR, "p.kind").text


def current_values(driver):
    inputs = driver.find_elements(By.CSS_SELECTOR, "form[action$='/milestones'] input[type=date], "
                                                   "form[action$='/milestones'] input[name*='.']")
    return {i.get_attribute("name"): i.get_attribute("value") for i in inputs}


def submit_milestones(driver):
    button = driver.find_element(By.CSS_SELECTOR, "form[action$='/milestones'] button[type=submit]")
    click_and_wait(driver, button)


def assert_stage_one(values):
    assert values["actual.initiation-commenced"], "precondition: Initiation Commenced achieved"
    for kind in LSP_MILESTONES[1:]:
        assert values[f"actual.{kind}"] == "", f"precondition: {kind} not achieved"
    assert set(values) == {f"{p}.{k}" for p in ("forecast", "actual") for k in LSP_MILESTONES}


def assert_field_error(driver, name, *fragments):
    """The error for `name` is beside its input: in the same wrapper and table cell, tied to it by
    aria-describedby, and listed (with a link to the field) in the error summary."""
    input_id = name.replace(".", "-")
    element = driver.find_element(By.ID, input_id)
    message = driver.find_element(By.ID, f"{input_id}-error")
    assert "error-message" in message.get_attribute("class").split()
    assert message.is_displayed()
    text = message.text.strip()
    for fragment in fragments:
        assert fragment in text, f"error beside {name} is {text!r}; expected {fragment!r}"
    assert element.get_attribute("aria-invalid") == "true"
    assert element.get_attribute("aria-describedby") == f"{input_id}-error"
    wrapper = element.find_element(By.XPATH, "..")
    assert "field-error" in wrapper.get_attribute("class").split()
    assert message.find_element(By.XPATH, "..") == wrapper, "error message not next to its field"
    cell = element.find_element(By.XPATH, "ancestor::td[1]")
    assert message.find_element(By.XPATH, "ancestor::td[1]") == cell, "error message not in the field's cell"
    # Rendered just below the input, not somewhere else on the page.
    assert 0 <= message.location["y"] - element.location["y"] < 120
    assert abs(message.location["x"] - element.location["x"]) < 60
    summary = driver.find_element(By.CSS_SELECTOR, ".notice.error")
    assert summary.is_displayed()
    assert "The dates were not saved" in summary.text
    links = summary.find_elements(By.CSS_SELECTOR, f"a[href='#{input_id}']")
    assert links and links[0].text.strip() == text
    return text


def error_fields(driver):
    return sorted(e.get_attribute("id")[: -len("-error")]
                  for e in driver.find_elements(By.CSS_SELECTOR, ".error-message"))


# The test modules star-import this file's helpers; pytest's hooks must stay here only, or each
# module would run them again.
__all__ = [name for name in dir() if not name.startswith(("_", "pytest_"))]
