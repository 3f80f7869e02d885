"""Lessons are read from the course's current version: an edit synced while the app runs shows on the
next page, a retired course's lessons are gone, and reading a lesson moves on to the next."""

import shutil

from elearn.services.sync import sync_content
from tests.conftest import PROJECT_ROOT

LESSON = "/courses/kihon-houshin/lessons/01-mokuteki"


def content_copy(tmp_path):
    root = tmp_path / "content"
    shutil.copytree(PROJECT_ROOT / "courses", root / "courses")
    shutil.copytree(PROJECT_ROOT / "quizzes", root / "quizzes")
    return root


def test_an_edited_lesson_shows_its_new_text_on_the_next_page(app, client, auth, people, tmp_path):
    root = content_copy(tmp_path)
    auth.login_as(people.employee())
    before = client.get(LESSON).get_data(as_text=True)
    assert "書き加えた一文です。" not in before
    lesson = root / "courses" / "kihon-houshin" / "01-mokuteki.md"
    lesson.write_text(lesson.read_text(encoding="utf-8") + "\n書き加えた一文です。\n", encoding="utf-8")
    assert "course kihon-houshin" in sync_content(root).updated
    assert "書き加えた一文です。" in client.get(LESSON).get_data(as_text=True)


def test_a_retired_course_has_no_lessons_and_leaves_my_training(app, client, auth, people, tmp_path):
    root = content_copy(tmp_path)
    auth.login_as(people.employee())
    assert client.get(LESSON).status_code == 200
    assert "基本方針を理解する" in client.get("/").get_data(as_text=True)
    shutil.rmtree(root / "courses" / "kihon-houshin")
    sync_content(root)
    assert client.get(LESSON).status_code == 404
    assert "基本方針を理解する" not in client.get("/").get_data(as_text=True)


def test_reading_a_lesson_moves_on_to_the_next_and_counts_on_my_training(app, client, auth, people):
    auth.login_as(people.employee())
    page = client.get(LESSON).get_data(as_text=True)
    assert "レッスン 1 / 9" in page
    moved = client.post(f"{LESSON}/read", data={"csrf_token": "unused"})
    assert moved.status_code == 303 and moved.headers["Location"].endswith("/lessons/02-teigi")
    assert "レッスン 1 / 9" in client.get("/").get_data(as_text=True)


def test_an_unknown_course_or_lesson_is_not_found(app, client, auth, people):
    auth.login_as(people.employee())
    assert client.get("/courses/no-such-course/lessons/01-mokuteki").status_code == 404
    assert client.get("/courses/kihon-houshin/lessons/99-none").status_code == 404
    assert client.post("/courses/kihon-houshin/lessons/99-none/read").status_code == 404
