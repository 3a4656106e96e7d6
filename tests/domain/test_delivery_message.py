"""The statement message template and addresses (issue 20)."""

import pytest

from rightsdesk.domain.delivery import (DEFAULT_BODY, DEFAULT_SUBJECT, PLACEHOLDERS, MailSettings, Security,
                                        address_problem, render, settings_problems, split_addresses,
                                        template_problems)

VALUES = {"participant": "Golden {Reel}", "period": "2026-Q3", "amount": "USD 7,650.00",
          "statement_number": "ST-2026-000001", "deal": "IN-1", "company": "Sales House"}


def test_the_default_message_names_only_known_placeholders_and_renders_every_value():
    assert template_problems(DEFAULT_SUBJECT, "Subject") == [] and template_problems(DEFAULT_BODY, "Message") == []
    body = render(DEFAULT_BODY, VALUES)
    assert "Dear Golden {Reel}," in body and "USD 7,650.00" in body and "ST-2026-000001" in body and "Sales House" in body
    assert set(VALUES) == set(PLACEHOLDERS)


def test_an_unknown_placeholder_is_refused_with_the_names_there_are():
    [problem] = template_problems("Dear {name}, your {amount}", "Message")
    assert problem.where == "Message"
    assert "{name} is not a placeholder" in problem.message and "{participant}" in problem.message


@pytest.mark.parametrize("text, says", [
    ("Total {amount:>10}", "cannot carry formatting"),
    ("Total {amount!r}", "cannot carry formatting"),
    ("Hello {participant", "a brace without its pair"),
    ("Hello }", "a brace without its pair"),
    ("Hello {}", "names no placeholder"),
    ("{participant.name}", "not a placeholder"),
])
def test_placeholders_are_plain_names(text, says):
    [problem] = template_problems(text, "Subject")
    assert says in problem.message


def test_doubled_braces_are_braces_and_a_subject_stays_on_one_line():
    assert template_problems("{{not a placeholder}} {period}", "Subject") == []
    assert render("{{x}} {period}", VALUES) == "{x} 2026-Q3"
    assert render("For {participant}", VALUES | {"participant": "Evil\r\nBcc: x@y.example"}, one_line=True) == \
        "For Evil Bcc: x@y.example"


@pytest.mark.parametrize("address", ["li.wei@goldenreel.example", "a+b@mail.example.co.uk", " x@y.example "])
def test_addresses_that_are_addresses(address):
    assert address_problem(address) is None


@pytest.mark.parametrize("address", ["", "li.wei", "li wei@x.example", "@x.example", "a@b", "a@@b.example", "a@b.example>"])
def test_addresses_that_are_not(address):
    assert "is not an email address" in address_problem(address)


def test_several_addresses_in_one_box():
    assert split_addresses("a@x.example; b@y.example,  c@z.example") == ["a@x.example", "b@y.example", "c@z.example"]


def test_settings_need_a_server_a_sender_and_never_send_a_password_in_the_clear():
    problems = settings_problems(MailSettings(port=0, subject="{oops}"), password_given=False)
    assert [p.where for p in problems] == ["Server", "Port", "From", "Subject"]
    clear = MailSettings(host="smtp.example.com", port=25, security=Security.NONE, user="ana", sender="r@sales.example")
    assert [p.where for p in settings_problems(clear, password_given=True)] == ["Security"]
    # A relay on this machine may take a password in the clear; one without a password anywhere.
    assert settings_problems(MailSettings(host="127.0.0.1", port=25, security=Security.NONE, user="ana",
                                          sender="r@sales.example"), password_given=True) == []
    assert settings_problems(MailSettings(host="relay.lan", port=25, security=Security.NONE, sender="r@sales.example"),
                             password_given=False) == []
