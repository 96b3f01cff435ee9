"""Real-browser walk-through of setting up a programme (issue 13): the programme office imports
organisations from an ODS-style CSV, saves a roll-out template, rolls a product out to the new
sites in a wave, and sees the new projects on the trust's dashboard. Runs with JavaScript on
and off (see conftest.py)."""

import datetime
import tempfile
import time

from selenium.webdriver.common.by import By

from conftest import *  # noqa: F401,F403 (the shared helpers and constants)

OFFSETS = {"initiation-commenced": "0", "initiation-completed": "20", "local-design-completed": "60",
           "preparation-for-go-live-completed": "100", "go-live-completed": "120", "implementation-completed": "160"}


def submit(driver, form, label):
    click_and_wait(driver, form.find_element(By.XPATH, f".//button[normalize-space()='{label}']"))


def test_set_up_a_programme(driver, server):
    suffix = str(time.time_ns())[-6:]
    trust, first, second = f"ZT{suffix}", f"ZS{suffix}1", f"ZS{suffix}2"
    rows = ["code,name,parent code,level,postcode,open date,close date",
            f"{trust},Browser Test NHS Trust,L001,trust,LS1 3EX,2005-04-01,",
            f"{first},Browser Test Surgery One,{trust},site,,2005-04-01,",
            f"{second},Browser Test Surgery Two,{trust},site,,2005-04-01,"]
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as file:
        file.write("\r\n".join(rows) + "\r\n")
        path = file.name

    # 1. Import the organisations: preview, then the same file again to apply it.
    driver.get(server.base + "/organisations/import")
    wait_for_page(driver)
    form = driver.find_element(By.CSS_SELECTOR, "main form[enctype='multipart/form-data']")
    form.find_element(By.NAME, "file").send_keys(path)
    submit(driver, form, "Preview import")
    assert "3 to add" in driver.find_element(By.TAG_NAME, "main").text
    form = driver.find_element(By.XPATH, "//form[.//button[normalize-space()='Apply import']]")
    form.find_element(By.NAME, "file").send_keys(path)
    submit(driver, form, "Apply import")
    driver.get(server.base + f"/organisations/{trust}")
    wait_for_page(driver)
    assert "Browser Test NHS Trust" in h1(driver)

    # 2. Save a template for the CRS, which the new sites do not have yet.
    template = f"CRS-BT{suffix}"
    driver.get(server.base + "/rollout")
    wait_for_page(driver)
    form = driver.find_element(By.CSS_SELECTOR, "form[action='/rollout/templates']")
    values = {"code": template, "name": "CRS for new surgeries", "product": "CRS"}
    values.update({f"offset.{k}": v for k, v in OFFSETS.items()})
    for name, value in values.items():
        form.find_element(By.NAME, name).send_keys(value)
    submit(driver, form, "Save template")
    assert "Template saved" in driver.find_element(By.CSS_SELECTOR, ".notice.success").text

    # 3. Roll it out to the new trust's sites in one wave: preview, then create.
    start = (datetime.date.today() + datetime.timedelta(days=14)).isoformat()
    form = driver.find_element(By.CSS_SELECTOR, "form[action='/rollout/preview']")
    Select(form.find_element(By.NAME, "template")).select_by_value(template)
    form.find_element(By.NAME, "within").send_keys(trust)
    form.find_element(By.NAME, "waves").send_keys(f"{start}:5")
    submit(driver, form, "Preview")
    assert h1(driver).startswith(f"Preview: {template}")
    main = driver.find_element(By.TAG_NAME, "main").text
    assert f"{first}-CRS" in main and f"{second}-CRS" in main and "This creates 2 CRS projects" in main
    submit(driver, driver.find_element(By.CSS_SELECTOR, "form[action='/rollout/apply']"), "Create 2 projects")
    assert h1(driver).startswith(f"Rolled out: {template}")

    # 4. The trust's dashboard counts them, and the project list shows them.
    driver.get(server.base + f"/organisations/{trust}")
    wait_for_page(driver)
    dashboard = driver.find_element(By.TAG_NAME, "main").text
    assert "Browser Test Surgery One" in dashboard and "Browser Test Surgery Two" in dashboard
    driver.get(server.base + f"/projects?within={trust}")
    wait_for_page(driver)
    listed = driver.find_element(By.TAG_NAME, "main").text
    assert f"{first}-CRS" in listed and f"{second}-CRS" in listed
