"""Real-browser tests of registration and training (issue 15): the funnel page with its chart
and table, the forecast, and an RA agent taking a new applicant through the identity check,
refused first for want of a photographic document. Fixtures and helpers are in conftest.py.
"""

import re

from selenium.webdriver.common.by import By

from conftest import *  # noqa: F401,F403 (the shared helpers and constants)


def fresh_applicant(server, trust):
    """A person at the demo trust whose RA application waits for its identity check."""
    jar = server.jar("demo-ra-agent")
    status, _, body = http_get(server.url(f"/organisations/{trust}/staff"), jar=jar)
    assert status == 200
    waiting = []
    for staff_id in re.findall(r'href="/staff/(\d+)"', body):
        status, _, page = http_get(server.url(f"/staff/{staff_id}"), jar=jar)
        assert status == 200
        if "Record the identity check" in page:
            waiting.append(staff_id)
    return server.claim_among(waiting)


def test_national_funnel_page_shows_chart_table_and_forecast(driver, server):
    driver.get(server.url("/organisations/NPO/people"))
    wait_for_page(driver)
    assert h1(driver).startswith("Registration and training")
    chart = assert_chart(driver)
    assert "funnel" in chart.find_element(By.TAG_NAME, "title").get_attribute("textContent")
    steps = driver.find_elements(By.XPATH, "//table[caption='Registration and training funnel']/tbody/tr/th")
    assert [s.text for s in steps] == ["Need access", "Registered", "Smartcard issued", "Trained", "Proficient", "Access granted"]
    need = int(driver.find_element(By.XPATH, "//table[caption='Registration and training funnel']/tbody/tr[1]/td[1]").text)
    assert need > 0
    click_and_wait(driver, driver.find_element(By.LINK_TEXT, "Sites that will not be ready"))
    assert h1(driver) == "Sites that will not be ready"
    assert "will not be ready at the current pace" in driver.page_source


def test_ra_agent_records_an_identity_check_after_a_refusal(guest, server):
    trust = home_code(server, "demo-ra-agent")
    staff_id = fresh_applicant(server, trust)
    guest.delete_all_cookies()
    sign_in(guest, server, "demo-ra-agent")
    guest.get(server.url(f"/staff/{staff_id}"))
    wait_for_page(guest)
    for kind in ["utility-bill", "payslip", "bank-statement"]:
        guest.find_element(By.ID, f"document-{kind}").click()
    click_and_wait(guest, guest.find_element(By.XPATH, "//button[normalize-space()='Record the identity check']"))
    assert "photograph" in guest.find_element(By.CSS_SELECTOR, ".notice.error").text
    assert guest.find_elements(By.ID, "document-passport"), "the form is shown again"

    for kind in ["passport", "utility-bill", "payslip"]:
        box = guest.find_element(By.ID, f"document-{kind}")
        if not box.is_selected():
            box.click()
    click_and_wait(guest, guest.find_element(By.XPATH, "//button[normalize-space()='Record the identity check']"))
    assert guest.find_element(By.CSS_SELECTOR, ".notice.success").text == "Identity check recorded."
    assert "Passport" in guest.find_element(By.CSS_SELECTOR, "ol.checklist").text
    # The agent is no sponsor: the approval form is not theirs to see.
    assert not guest.find_elements(By.XPATH, "//button[normalize-space()='Approve the access profile as sponsor']")
