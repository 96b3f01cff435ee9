"""Real-browser tests of the Lessons Learned log: search from the navigation, record a lesson on a
project page and find it, refused entries shown again, promotion to guidance. Each runs with
JavaScript on and off (conftest.py), so none may depend on it.
"""

import re

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import *  # noqa: F401,F403 (the shared helpers and constants)


def lesson_titles(driver):
    return [a.text.strip() for a in driver.find_elements(By.CSS_SELECTOR, "ol.lessons h2.lesson-title a")]


def search_lessons(driver, words):
    """Types `words` into the lessons search form on this page and submits it."""
    box = driver.find_element(By.CSS_SELECTOR, "form[action='/lessons'] input[name=q]")
    box.clear()
    box.send_keys(words)
    click_and_wait(driver, driver.find_element(By.XPATH, "//form[@action='/lessons']//button[normalize-space()='Search lessons']"))


def lesson_form(driver):
    return driver.find_element(By.CSS_SELECTOR, "form.lesson-form")


def test_search_lessons_from_the_navigation(driver, server):
    driver.get(server.url("/"))
    wait_for_page(driver)
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "nav.mainnav a[href='/lessons']"))
    assert h1(driver) == "Lessons learned"
    assert "most recent first" in driver.find_element(By.CSS_SELECTOR, "p.result-count").text

    search_lessons(driver, 'smartcard "lead OR')
    count = driver.find_element(By.CSS_SELECTOR, "p.result-count").text
    assert re.match(r"Showing 1–\d+ of \d+ lessons?, best match first\.", count), count
    titles = lesson_titles(driver)
    assert titles, "a search for smartcard lead times finds lessons"
    assert "Smartcard registration lead times underestimated" in titles
    # Snippets are plain text: no highlighting markup reaches the page.
    assert not driver.find_elements(By.CSS_SELECTOR, "ol.lessons mark, ol.lessons b, ol.lessons em")

    # Filters narrow the same search and stay selected.
    Select(driver.find_element(By.NAME, "stage")).select_by_value("2")
    click_and_wait(driver, driver.find_element(By.XPATH, "//button[normalize-space()='Search lessons']"))
    assert Select(driver.find_element(By.NAME, "stage")).first_selected_option.get_attribute("value") == "2"
    assert driver.find_element(By.CSS_SELECTOR, "form[action='/lessons'] input[name=q]").get_attribute("value") == 'smartcard "lead OR'
    facts = [p.text for p in driver.find_elements(By.CSS_SELECTOR, "ol.lessons p.kind")]
    assert facts and all("Stage 2 Local Design" in fact for fact in facts), facts

    first = driver.find_element(By.CSS_SELECTOR, "ol.lessons h2.lesson-title a")
    title = first.text.strip()
    click_and_wait(driver, first)
    assert h1(driver) == title
    assert breadcrumbs(driver)[0] == ("Lessons learned", "/lessons")
    assert driver.find_element(By.XPATH, "//h2[normalize-space()='Recommendation']")


def test_record_a_lesson_on_a_project_page_then_find_it(driver, server, js_mode):
    code = server.claim_project()
    open_project(driver, server, code)
    section = driver.find_element(By.CSS_SELECTOR, "section[aria-labelledby='lessons-heading']")
    assert "Lessons for this stage" in section.text
    word = "quetzal" + js_mode.replace("-", "")
    form = lesson_form(driver)
    # Stage and product start as the project's own.
    assert Select(form.find_element(By.NAME, "stage")).first_selected_option.text.startswith("1 ")
    assert code.endswith("-" + Select(form.find_element(By.NAME, "product")).first_selected_option.get_attribute("value"))
    Select(form.find_element(By.NAME, "area")).select_by_value("people")
    form.find_element(By.NAME, "title").send_keys(f"Sponsors for the {word} ward were not named")
    form.find_element(By.NAME, "whatHappened").send_keys("Nobody could approve access profiles <b>for weeks</b>.")
    form.find_element(By.NAME, "recommendation").send_keys("Name an RA sponsor for every ward in the PID.")
    form.find_element(By.NAME, "tags").send_keys("RA sponsors, Access")
    click_and_wait(driver, form.find_element(By.XPATH, ".//button[normalize-space()='Record lesson']"))

    assert re.fullmatch(r"/lessons/\d+\?recorded=1", path_of(driver)), path_of(driver)
    lesson_path = path_of(driver).split("?")[0]
    assert h1(driver) == f"Sponsors for the {word} ward were not named"
    assert "Lesson recorded" in driver.find_element(By.CSS_SELECTOR, ".notice.success").text
    assert "<b>for weeks</b>" in driver.find_element(By.TAG_NAME, "main").text, "typed markup is shown as text"
    tags = [a.text for a in driver.find_elements(By.CSS_SELECTOR, "main a[href^='/lessons?q=']")]
    assert tags == ["ra-sponsors", "access"]
    assert driver.find_element(By.CSS_SELECTOR, f"main a[href='/projects/{code}']")

    # Shared with the whole programme: the navigation's search finds it by its words.
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "nav.mainnav a[href='/lessons']"))
    search_lessons(driver, f"{word} sponsor")
    assert lesson_titles(driver) == [f"Sponsors for the {word} ward were not named"]
    assert driver.find_element(By.CSS_SELECTOR, "p.result-count").text.startswith("Showing 1–1 of 1 lesson")

    # The national office promotes it to guidance.
    driver.get(server.url(lesson_path))
    wait_for_page(driver)
    click_and_wait(driver, driver.find_element(By.XPATH, "//button[normalize-space()='Promote to programme guidance']"))
    assert path_of(driver) == lesson_path + "?promoted=1"
    assert "promoted by demo-npo" in driver.find_element(By.TAG_NAME, "main").text
    assert not driver.find_elements(By.XPATH, "//button[normalize-space()='Promote to programme guidance']")


def test_a_refused_lesson_is_shown_again_with_its_errors(driver, server):
    code = server.claim_project()
    open_project(driver, server, code)
    form = lesson_form(driver)
    form.find_element(By.NAME, "whatHappened").send_keys("Kept as typed")
    click_and_wait(driver, form.find_element(By.XPATH, ".//button[normalize-space()='Record lesson']"))
    assert h1(driver) == f"Record a lesson from {code}"
    summary = driver.find_element(By.CSS_SELECTOR, ".notice.error").text
    for message in ["Choose the area of responsibility", "Give the lesson a short title", "Give the recommendation"]:
        assert message in summary, summary
    assert lesson_form(driver).find_element(By.NAME, "whatHappened").get_attribute("value") == "Kept as typed"
    assert lesson_form(driver).find_element(By.NAME, "title").get_attribute("aria-invalid") == "true"
    # The summary links to the field.
    link = driver.find_element(By.CSS_SELECTOR, ".notice.error a[href='#lesson-title']")
    assert link.text == "Give the lesson a short title."
