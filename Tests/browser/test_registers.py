"""Real-browser tests of the risk and issue registers: raise, refuse bad input, escalate to the
SHA and return, and the heat map. Each runs with JavaScript on and off (see conftest.py)."""

import time

from selenium.webdriver.common.by import By

from conftest import *  # noqa: F401,F403 (the shared helpers and constants)


def fill(driver, form, values):
    for name, value in values.items():
        field = form.find_element(By.NAME, name)
        if field.tag_name == "select":
            Select(field).select_by_value(value)
        else:
            field.clear()
            field.send_keys(value)


def register_link(driver):
    """The dashboard's link to the home organisation's own register."""
    section = driver.find_element(By.XPATH, "//section[h2='Risks']")
    assert section.find_elements(By.CSS_SELECTOR, "svg.heatmap rect.heat"), "the dashboard shows the risk heat map"
    return section.find_element(By.XPATH, ".//a[contains(., 'register')]")


def test_raise_refuse_escalate_and_return(guest, server):
    title = f"Browser test risk {time.time_ns()}"
    sign_in(guest, server, "demo-trust-pm")
    click_and_wait(guest, register_link(guest))
    assert "register" in h1(guest)
    form = guest.find_element(By.CSS_SELECTOR, "main form[method=post][action$='/register']")
    fill(guest, form, {"title": title, "owner": "Grace Hughes", "probability": "150", "priority": "2", "controllability": "C"})
    click_and_wait(guest, form.find_element(By.XPATH, ".//button[normalize-space()='Raise']"))
    alert = guest.find_element(By.CSS_SELECTOR, ".notice.error")
    assert "0 to 100" in alert.text, alert.text
    # The form keeps what was typed, so only the probability needs correcting.
    form = guest.find_element(By.CSS_SELECTOR, "main form[method=post][action$='/register']")
    assert form.find_element(By.NAME, "title").get_attribute("value") == title
    fill(guest, form, {"probability": "45"})
    click_and_wait(guest, form.find_element(By.XPATH, ".//button[normalize-space()='Raise']"))
    assert title in h1(guest)
    flag = guest.find_element(By.CSS_SELECTOR, ".notice.warning")
    assert "Risk action plan required" in flag.text and "Missing" in flag.text

    escalate = guest.find_element(By.CSS_SELECTOR, "form[action$='/escalate']")
    escalate.find_element(By.NAME, "reason").send_keys("Needs SHA funding for backfill")
    click_and_wait(guest, escalate.find_element(By.TAG_NAME, "button"))
    assert "Escalated" in guest.find_element(By.CSS_SELECTOR, "p.kind").text
    assert "in a register you cannot see" in guest.find_element(By.CSS_SELECTOR, "ul.links").text

    guest.delete_all_cookies()
    sign_in(guest, server, "demo-sha")
    click_and_wait(guest, register_link(guest))
    guest.get(guest.current_url.split("?")[0] + "?status=open")
    wait_for_page(guest)
    click_and_wait(guest, guest.find_element(By.XPATH, f"//table[@class='register']//a[../../td[contains(., '{title}')]]"))
    assert "Escalated from" in guest.find_element(By.CSS_SELECTOR, "ul.links").text
    back = guest.find_element(By.CSS_SELECTOR, "form[action$='/de-escalate']")
    back.find_element(By.NAME, "reason").send_keys("Funding agreed; manage locally")
    click_and_wait(guest, back.find_element(By.TAG_NAME, "button"))
    assert "Returned to the level below" in guest.find_element(By.CSS_SELECTOR, "p.kind").text


def test_heat_map_cells_open_their_list(driver, server):
    driver.get(server.url("/organisations/CNE/register/heatmap"))
    wait_for_page(driver)
    assert h1(driver).startswith("Risks in North East Cluster")
    cells = driver.find_elements(By.CSS_SELECTOR, "svg.heatmap a")
    assert len(cells) == 20, "5 priorities x 4 controllabilities"
    counts = [int(a.find_element(By.CSS_SELECTOR, "text").text) for a in cells]
    total = int(driver.find_element(By.CSS_SELECTOR, ".card .value").text)
    assert sum(counts) == total
    busiest = max(range(20), key=lambda i: counts[i])
    href = cells[busiest].get_dom_attribute("href")
    driver.get(href if href.startswith("http") else server.url(href))
    wait_for_page(driver)
    caption = driver.find_element(By.CSS_SELECTOR, "table.register caption").text
    shown = min(counts[busiest], 50)
    assert caption.startswith(str(shown)), (caption, counts[busiest])
