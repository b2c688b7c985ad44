"""Language tags (BCP 47, RFC 5646): well-formed, in their canonical case.

Why: a caption track names its language with the tag a browser reads (``<track srclang>``,
``lang``); a tag written ``EN-gb`` and one written ``en-GB`` are the same language and must
not make two tracks. ``canonical_language_tag`` checks the syntax of RFC 5646 section 2.1
(language with extended subtags, script, region, variants, extensions, private use; the
irregular grandfathered tags are refused, and so are primary language subtags of 4 to 8
letters, which the syntax reserves and the registry has none of: "english" is a mistake, not
a language) and writes the case of section 2.1.1: language lower case, script title case,
region upper case. Whether each subtag is in IANA's registry
is not checked: the registry is not shipped, and a well-formed tag a browser does not know
does no harm.
"""

from __future__ import annotations

import re

from cadenza.lib.errors import DomainError

MAX_LENGTH = 35
"""The length RFC 5646 section 4.4.1 asks every implementation to take."""

_WELL_FORMED = re.compile(
    r"""^(?:
        [a-z]{2,3}(?:-[a-z]{3}){0,3}                        # language, extended language
        (?:-[a-z]{4})?                                      # script
        (?:-(?:[a-z]{2}|\d{3}))?                            # region
        (?:-(?:[a-z\d]{5,8}|\d[a-z\d]{3}))*                 # variants
        (?:-[\da-wy-z](?:-[a-z\d]{2,8})+)*                  # extensions
        (?:-x(?:-[a-z\d]{1,8})+)?                           # private use
      | x(?:-[a-z\d]{1,8})+                                 # private use only
    )$""",
    re.VERBOSE | re.IGNORECASE,
)


class InvalidLanguageTag(DomainError):
    """A language tag that is not well-formed BCP 47."""


def canonical_language_tag(tag: str) -> str:
    """``tag`` checked and in canonical case (``EN-gb`` -> ``en-GB``, ``zh-hant`` ->
    ``zh-Hant``); ``InvalidLanguageTag`` says what is wrong."""
    tag = tag.strip()
    if not tag:
        raise InvalidLanguageTag("Give the language as a tag such as en, fr or pt-BR.")
    if len(tag) > MAX_LENGTH or not _WELL_FORMED.match(tag):
        raise InvalidLanguageTag(
            f"“{tag[:MAX_LENGTH]}” is not a language tag (BCP 47), such as en, fr or pt-BR."
        )
    subtags = tag.split("-")
    lowered = [subtag.lower() for subtag in subtags]
    singletons = [subtag for subtag in lowered[1:] if len(subtag) == 1]
    if len(singletons) != len(set(singletons)) or _repeated_variant(lowered):
        raise InvalidLanguageTag(f"“{tag}” repeats a part; write each part once.")
    canonical = [lowered[0]]
    in_extension = lowered[0] == "x"
    for subtag in lowered[1:]:
        in_extension = in_extension or len(subtag) == 1
        if in_extension:
            canonical.append(subtag)
        elif len(subtag) == 4 and subtag.isalpha():
            canonical.append(subtag.title())
        elif len(subtag) == 2 and subtag.isalpha():
            canonical.append(subtag.upper())
        else:
            canonical.append(subtag)
    return "-".join(canonical)


def _repeated_variant(subtags: list[str]) -> bool:
    """RFC 5646 2.2.5: the same variant twice (before any extension) is not well-formed."""
    variants: list[str] = []
    for subtag in subtags[1:]:
        if len(subtag) == 1:
            break
        if len(subtag) >= 5 or (len(subtag) == 4 and subtag[0].isdigit()):
            variants.append(subtag)
    return len(variants) != len(set(variants))
