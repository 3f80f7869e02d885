"""Run inside the offline namespace with the installed venv's Python: /healthz, then a real sign-in.

Usage: python signin_check.py BASE_URL EMPLOYEE_NO PASSWORD. Only the standard library: the installed
venv has no test packages. Waits for the server by retrying, a bounded number of times.
"""

import http.cookiejar
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

base, employee_no, password = sys.argv[1:4]
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

for _ in range(600):  # the server may take a while to start on a loaded machine
    try:
        with opener.open(f"{base}/healthz") as response:
            health = response.read().decode()
        break
    except (urllib.error.URLError, ConnectionError):
        time.sleep(0.5)
else:
    sys.exit("the server never answered /healthz")
assert '"ok"' in health, health
print("healthz:", health.strip())

with opener.open(f"{base}/login") as response:
    page = response.read().decode()
token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
form = urllib.parse.urlencode({"csrf_token": token, "employee_no": employee_no, "password": password})
with opener.open(f"{base}/login", data=form.encode()) as response:
    home = response.read().decode()
    landed = response.geturl()
assert "マイ研修" in home and "/login" not in landed, (landed, home[:500])
print("signed in as", employee_no)
