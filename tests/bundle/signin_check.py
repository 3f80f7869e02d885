"""Run inside the offline namespace with the installed venv's Python: /healthz, then a real sign-in.

Usage: python signin_check.py BASE_URL EMPLOYEE_NO PASSWORD. Only the standard library: the installed
venv has no test packages. Waits for the server by retrying, a bounded number of times. The installed
app runs as in production, behind a TLS proxy (ELEARN_PROXY_FIX=1), so each request says it came over
HTTPS, as nginx would, and the Secure session cookie and the Referer are sent as a browser on HTTPS would.
"""

import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


base, employee_no, password = sys.argv[1:4]
opener = urllib.request.build_opener(NoRedirect)
cookies: dict[str, str] = {}


def fetch(path: str, data: dict[str, str] | None = None) -> tuple[int, str, str]:
    """(status, Location, body) of one request, keeping the cookies it sets."""
    request = urllib.request.Request(
        f"{base}{path}",
        data=urllib.parse.urlencode(data).encode() if data is not None else None,
        headers={
            "X-Forwarded-Proto": "https",
            # Over HTTPS Flask-WTF also wants a same-origin Referer, as a browser sends it.
            "Referer": f"{base.replace('http://', 'https://', 1)}/login",
            "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
        },
    )
    try:
        response = opener.open(request)
    except urllib.error.HTTPError as error:  # redirects and errors alike
        response = error
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        cookies[name] = rest.split(";", 1)[0]
    return response.status, response.headers.get("Location", ""), response.read().decode()


for _ in range(600):  # the server may take a while to start on a loaded machine
    try:
        status, _, health = fetch("/healthz")
        break
    except (urllib.error.URLError, ConnectionError):
        time.sleep(0.5)
else:
    sys.exit("the server never answered /healthz")
assert status == 200 and '"ok"' in health, health
print("healthz:", health.strip())

_, _, page = fetch("/login")
token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
status, location, _ = fetch("/login", {"csrf_token": token, "employee_no": employee_no, "password": password})
assert status in (302, 303) and "/login" not in location, (status, location)
status, _, home = fetch(urllib.parse.urlsplit(location).path or "/")
assert status == 200 and "マイ研修" in home, home[:500]
print("signed in as", employee_no)
