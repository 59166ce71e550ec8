"""Strong keys: one value per mailbox or domain, however it was typed."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from dealflow.crm.linkage.keys import domain_key, email_key

local_parts = st.from_regex(r"[a-z][a-z0-9._-]{0,15}", fullmatch=True)
domains = st.from_regex(r"[a-z]([a-z0-9-]{0,8}[a-z0-9])?\.(com|org|co\.jp|de)", fullmatch=True)


@given(local_parts, domains, st.sampled_from(["", "+news", "+a.b"]))
def test_case_spaces_and_tags_do_not_change_an_email_key(local: str, domain: str, tag: str) -> None:
    plain = email_key(f"{local}@{domain}")

    assert email_key(f"  {local.upper()}{tag}@{domain.upper()} ") == plain
    assert plain is not None and email_key(plain) == plain


def test_gmail_ignores_dots_and_its_other_name() -> None:
    assert email_key("Ada.Lovelace@googlemail.com") == email_key("adalovelace@gmail.com")
    assert email_key("ada.lovelace@corp.example") != email_key("adalovelace@corp.example")


def test_full_width_letters_are_the_same_address() -> None:
    assert email_key("ａｄａ＠ｃｏｒｐ．ｅｘａｍｐｌｅ") == "ada@corp.example"


@given(st.sampled_from(["", "   ", "no-at-sign", "a@b", "@corp.example", "a b@corp.example"]))
def test_what_is_not_an_address_has_no_key(raw: str) -> None:
    assert email_key(raw) is None


@given(
    domains.filter(lambda domain: not domain.startswith("www.")),  # that is a website's prefix
    st.sampled_from(["", "http://", "https://www."]),
    st.sampled_from(["", "/x?y=1"]),
)
def test_a_website_and_its_domain_have_one_key(domain: str, scheme: str, path: str) -> None:
    key = domain_key(domain)

    assert domain_key(f"{scheme}{domain.upper()}{path}") == key == domain
    assert domain_key("not a domain") is None


def test_www_is_a_prefix_only_when_a_domain_follows_it() -> None:
    assert domain_key("www.com") == "www.com"
    assert domain_key("https://www.www.com/about") == "www.com"
    assert domain_key("WWW.Acme.co.jp") == "acme.co.jp"
