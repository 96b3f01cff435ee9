"""Real-browser tests of readiness across the programme: the going-live page with its chart,
table and filters, and the Go Live policy page. Fixtures and helpers are in conftest.py.
"""

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import *  # noqa: F401,F403 (the shared helpers and constants)


def test_going_live_page_shows_chart_table_and_filters(driver, server):
    driver.get(server.url("/organisations/NPO/going-live?days=90"))
    wait_for_page(driver)
    assert h1(driver) == "Going live in the next 90 days"
    chart = driver.find_element(By.CSS_SELECTOR, "svg.chart")
    assert "readiness" in chart.find_element(By.TAG_NAME, "title").get_attribute("textContent")
    periods = driver.find_elements(By.CSS_SELECTOR, "table tbody th[scope='row']")
    assert [p.text for p in periods] == ["Days 1–30", "Days 31–60", "Days 61–90"]
    csv = driver.find_element(By.XPATH, "//a[normalize-space()='Download this list as CSV']")
    assert csv.get_dom_attribute("href") == "/organisations/NPO/going-live.csv?days=90"

    Select(driver.find_element(By.ID, "days")).select_by_value("30")
    Select(driver.find_element(By.ID, "product")).select_by_value("CRS")
    click_and_wait(driver, driver.find_element(By.XPATH, "//form[contains(@class,'filters')]//button"))
    assert h1(driver) == "Going live in the next 30 days"
    assert "product=CRS" in driver.current_url and "days=30" in driver.current_url
    for row in driver.find_elements(By.CSS_SELECTOR, "table caption"):
        if row.text == "Projects, soonest first":
            products = driver.find_elements(By.XPATH, "//table[caption='Projects, soonest first']/tbody/tr/td[3]")
            assert products and all(p.text == "CRS" for p in products)


def test_go_live_policy_page_lists_every_cluster(driver, server):
    driver.get(server.url("/go-live-policy"))
    wait_for_page(driver)
    assert h1(driver) == "Go Live policy"
    rows = driver.find_elements(By.XPATH, "//table[caption='Clusters']/tbody/tr")
    assert len(rows) == 5, [r.text for r in rows]
    assert all("Warn" in r.text for r in rows)
