"""The message as the city's server receives it: RFC 2047 headers, a UTF-8 body, one plain address."""

from email import message_from_bytes, policy

import pytest

from elearn.services.mailer import SmtpSettings, build_message, plain_address

SETTINGS = SmtpSettings.of({"MAIL_FROM": "no-reply@city.example.jp", "ORGANISATION_NAME": "東久留米市"})


def test_the_message_reads_back_as_japanese_with_encoded_headers():
    mail = build_message(
        SETTINGS, "市民 花子", "hanako@city.example.jp", "受講のお願い", "市民 花子 様\n本文"
    )
    assert mail.data.isascii() and b"=?utf-8?b?" in mail.data
    message = message_from_bytes(mail.data, policy=policy.default)
    assert message["Subject"] == "受講のお願い"
    assert message["From"].addresses[0].display_name == "東久留米市 職員研修"
    assert message["To"].addresses[0].display_name == "市民 花子"
    assert message.get_content() == "市民 花子 様\n本文"
    assert (mail.sender, mail.recipient) == ("no-reply@city.example.jp", "hanako@city.example.jp")


def test_a_line_break_in_a_subject_or_name_cannot_start_a_header_of_its_own():
    mail = build_message(
        SETTINGS, "名前\r\nBcc: x@evil.example", "a@city.example.jp", "件名\nBcc: x@evil.example", ""
    )
    message = message_from_bytes(mail.data, policy=policy.default)
    assert message["Bcc"] is None and "Bcc" in message["Subject"]


@pytest.mark.parametrize(
    "address", ["", "hanako", "hanako@city", "a b@city.example.jp", "花子@city.example.jp", "a@x.jp, b@x.jp"]
)
def test_what_is_not_one_plain_address_is_refused(address):
    with pytest.raises(ValueError):
        plain_address(address)
