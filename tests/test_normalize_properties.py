"""IMEI normalisation and validation fed arbitrary text: never an exception, only a canonical IMEI or a refusal.
And the patterns the OpenAPI document gives for MACs and URLs promise nothing the server refuses."""

import re

from hypothesis import example, given
from hypothesis import strategies as st
from marshmallow import Schema, ValidationError, validate

from inventory.normalize import imei_check_digit, normalize_imei, normalize_mac
from inventory.schemas.common import MAC_PATTERN, URL_PATTERN, Imei

SEPARATORS = re.compile(r"[\s\-/.]")
# Digits, the separators people type, look-alike digits (Arabic-Indic, full-width, superscript) and anything else.
imei_like = st.one_of(
    st.text(),
    st.text(alphabet="0123456789 -/.", max_size=25),
    st.text(alphabet=st.sampled_from("0123456789 -\u0660\u0669\uff10\uff19\u00b2\u2460\u00a0\u2003\n\t"), max_size=20),
)


class ImeiSchema(Schema):
    imei = Imei(allow_none=True)


def is_canonical(imei: str) -> bool:
    return (len(imei) == 15 and imei.isascii() and imei.isdigit()
            and imei_check_digit(imei[:14]) == int(imei[14]))


@given(imei_like)
@example("35-693803-564380-9")
@example("３５６９３８０３５６４３８０９")  # full-width digits: str.isdigit() says yes, an IMEI they are not
@example("\u0663\u0665\u0666\u0669\u0663\u0668\u0660\u0663\u0665\u0666\u0664\u0663\u0668\u0660\u0669")
@example("35693803564380\u00b9")  # a superscript one
@example("356938035643809\x00")
@example("")
def test_any_text_gives_a_canonical_imei_or_none(text):
    imei = normalize_imei(text)
    if imei is None:
        return
    assert is_canonical(imei)
    assert imei == SEPARATORS.sub("", text)  # only separators were dropped: no digit was invented or lost
    assert normalize_imei(imei) == imei


@given(imei_like)
def test_the_api_field_accepts_exactly_what_the_normaliser_accepts(text):
    expected = normalize_imei(text)
    try:
        loaded = ImeiSchema().load({"imei": text})
    except ValidationError as e:
        assert expected is None
        assert e.messages == {"imei": ["Not a valid IMEI (15 digits with a valid check digit)."]}
    else:
        assert loaded == {"imei": expected} and expected is not None


@given(st.one_of(st.integers(), st.floats(), st.booleans(), st.lists(st.text(max_size=3), max_size=3),
                 st.dictionaries(st.text(max_size=3), st.integers(), max_size=2)))
@example(356938035643809)
def test_values_that_are_not_text_are_refused_not_crashed_on(value):
    assert normalize_imei(value) is None
    try:
        ImeiSchema().load({"imei": value})
    except ValidationError as e:
        assert list(e.messages) == ["imei"]
    else:
        raise AssertionError(f"{value!r} was accepted as an IMEI")


@given(st.from_regex(MAC_PATTERN, fullmatch=True))
def test_every_mac_the_api_document_describes_is_accepted(text):
    """The document's MAC pattern (what clients and the fuzzer generate from) promises nothing the server refuses."""
    assert normalize_mac(text) is not None


@given(st.from_regex(URL_PATTERN, fullmatch=True))
def test_every_url_the_api_document_describes_is_accepted(text):
    assert validate.URL(require_tld=False)(text) == text
