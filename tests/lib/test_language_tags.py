"""Language tags: well-formed BCP 47 in canonical case, and what is refused."""

from __future__ import annotations

import pytest

from cadenza.lib.language_tags import InvalidLanguageTag, canonical_language_tag


@pytest.mark.parametrize(
    ("tag", "canonical"),
    [
        ("en", "en"),
        ("EN-gb", "en-GB"),
        ("pt-br", "pt-BR"),
        ("zh-hant-tw", "zh-Hant-TW"),
        ("es-419", "es-419"),
        ("sl-ROZAJ-biske", "sl-rozaj-biske"),
        ("de-CH-1996", "de-CH-1996"),
        ("zh-yue-HK", "zh-yue-HK"),
        ("en-US-u-ca-gregory", "en-US-u-ca-gregory"),
        ("en-x-AB-cd", "en-x-ab-cd"),
        ("x-whatever", "x-whatever"),
        (" fr ", "fr"),
    ],
)
def test_well_formed_tags_are_written_in_canonical_case(tag: str, canonical: str) -> None:
    assert canonical_language_tag(tag) == canonical


@pytest.mark.parametrize(
    ("tag", "message"),
    [
        ("", "Give the language as a tag such as en, fr or pt-BR."),
        ("english", "“english” is not a language tag (BCP 47), such as en, fr or pt-BR."),
        ("en_GB", "“en_GB” is not a language tag (BCP 47), such as en, fr or pt-BR."),
        ("e", "“e” is not a language tag (BCP 47), such as en, fr or pt-BR."),
        ("en-", "“en-” is not a language tag (BCP 47), such as en, fr or pt-BR."),
        ("en-GB-GB", "“en-GB-GB” is not a language tag (BCP 47), such as en, fr or pt-BR."),
        ("fr/../x", "“fr/../x” is not a language tag (BCP 47), such as en, fr or pt-BR."),
        ("de-1996-1996", "“de-1996-1996” repeats a part; write each part once."),
        ("en-a-bbb-a-ccc", "“en-a-bbb-a-ccc” repeats a part; write each part once."),
    ],
)
def test_malformed_tags_are_refused_with_a_message(tag: str, message: str) -> None:
    with pytest.raises(InvalidLanguageTag) as refused:
        canonical_language_tag(tag)
    assert str(refused.value) == message


def test_a_tag_longer_than_35_characters_is_refused() -> None:
    with pytest.raises(InvalidLanguageTag):
        canonical_language_tag("en-" + "-".join(["abcdefgh"] * 5))
