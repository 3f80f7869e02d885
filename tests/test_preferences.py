"""Japanese first; English as far as its catalogue goes, chosen from the footer."""

from pathlib import Path

from babel.messages.pofile import read_po


def test_pages_are_japanese_by_default(client):
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="ja">' in page and "ログイン" in page


def test_english_can_be_chosen_before_logging_in(client):
    response = client.post("/language", data={"language": "en", "next": "/login"})
    assert response.status_code == 303 and response.headers["Location"] == "/login"
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in page and "Employee number" in page and "日本語" in page


def test_an_unknown_language_is_ignored(client):
    client.post("/language", data={"language": "xx", "next": "/login"})
    assert '<html lang="ja">' in client.get("/login").get_data(as_text=True)


def test_language_switch_does_not_redirect_off_site(client):
    response = client.post("/language", data={"language": "en", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"


def test_english_catalogue_translates_every_message():
    po = Path(__file__).parent.parent / "elearn/translations/en/LC_MESSAGES/messages.po"
    with po.open("rb") as f:
        catalogue = read_po(f)
    untranslated = [message.id for message in catalogue if message.id and not message.string]
    assert not untranslated, f"untranslated in {po.name}: {untranslated}"
