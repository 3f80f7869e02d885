"""An employee's browser against the live server: its own cookie jar, the CSRF token read off the
pages, a timeout on every request, and the quiz pages taken the way a person takes them."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from concurrent.futures import ThreadPoolExecutor

import requests

# Seconds per request: a stuck request fails the test instead of hanging it. Generous, as a request may
# queue behind dozens of others (fifty logins at once) on a slow machine: it guards, it does not time.
TIMEOUT = 300.0
CSRF_INPUT = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
CHOICE_INPUT = re.compile(r'name="answer" id="[^"]+" value="(\d+)"')
ATTEMPT_PATH = re.compile(r"/attempts/(\d+)$")


class UnexpectedResponse(AssertionError):
    pass


class Browser:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.session = requests.Session()
        self.token = ""
        self.statuses: list[int] = []  # of every response this browser received

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        response = self.session.request(
            method, self.base_url + path, timeout=TIMEOUT, allow_redirects=False, **kwargs
        )
        self.statuses.append(response.status_code)
        if found := CSRF_INPUT.search(response.text):
            self.token = found.group(1)
        return response

    def get(self, path: str) -> requests.Response:
        return self.request("GET", path)

    def post(self, path: str, data: dict[str, object] | None = None) -> requests.Response:
        return self.request("POST", path, data={**(data or {}), "csrf_token": self.token})

    def login(self, employee_no: str, password: str) -> None:
        self.get("/login")
        home = expect(self.post("/login", {"employee_no": employee_no, "password": password}), 302)
        expect(self.get(home.headers["Location"]), 200)  # a new session on login: a new token with it

    def start_attempt(self, course: str) -> int:
        response = expect(self.post(f"/courses/{course}/attempts"), 303)
        return int(ATTEMPT_PATH.search(response.headers["Location"]).group(1))

    def answer_all(self, attempt_id: int, choose: Callable[[list[int]], Collection[int]]) -> None:
        """Open each question in turn and answer it with ``choose``, given the choice ids shown."""
        question = f"/attempts/{attempt_id}/questions/1"
        while question.startswith(f"/attempts/{attempt_id}/questions/"):
            shown = [int(i) for i in CHOICE_INPUT.findall(expect(self.get(question), 200).text)]
            answered = expect(self.post(question, {"answer": list(choose(shown))}), 303)
            question = answered.headers["Location"]  # the next question, or the summary after the last

    def submit(self, attempt_id: int) -> requests.Response:
        return self.post(f"/attempts/{attempt_id}/submit")

    def double_submit(self, attempt_id: int) -> list[requests.Response]:
        """Two submissions of the attempt at once, as from a double click: same cookies, two connections."""
        twin = Browser(self.base_url)
        twin.session.cookies.update(self.session.cookies)
        twin.token = self.token
        with ThreadPoolExecutor(2) as pool:
            responses = list(pool.map(lambda browser: browser.submit(attempt_id), (self, twin)))
        self.statuses += twin.statuses
        return responses


def expect(response: requests.Response, status: int) -> requests.Response:
    if response.status_code != status:
        raise UnexpectedResponse(
            f"{response.request.method} {response.url}: {response.status_code}, not {status}"
        )
    return response


def acknowledged(response: requests.Response, attempt_id: int) -> bool:
    """The server said the submission is recorded: a redirect to the attempt's result."""
    return response.status_code == 303 and response.headers["Location"].endswith(f"/attempts/{attempt_id}")
