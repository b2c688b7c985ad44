"""Settings read from the environment say clearly what is wrong with a bad value."""

from __future__ import annotations

import pytest

from cadenza.lib.environment import env_bool, env_list, env_positive_ints


def test_env_bool_reads_common_spellings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CADENZA_FLAG", "Yes")
    assert env_bool("CADENZA_FLAG", default=False) is True
    monkeypatch.setenv("CADENZA_FLAG", "off")
    assert env_bool("CADENZA_FLAG", default=True) is False
    monkeypatch.delenv("CADENZA_FLAG")
    assert env_bool("CADENZA_FLAG", default=True) is True


def test_env_bool_rejects_a_value_it_does_not_understand(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CADENZA_FLAG", "maybe")
    with pytest.raises(ValueError, match="CADENZA_FLAG='maybe' is not a boolean"):
        env_bool("CADENZA_FLAG", default=False)


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOSTS", "a.example, b.example,,")
    assert env_list("HOSTS", default=[]) == ["a.example", "b.example"]


def test_env_positive_ints_reads_the_numbers_or_the_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CADENZA_NUMBERS", raising=False)
    assert env_positive_ints("CADENZA_NUMBERS", default=(5, 6)) == (5, 6)
    monkeypatch.setenv("CADENZA_NUMBERS", "")
    assert env_positive_ints("CADENZA_NUMBERS", default=(5, 6)) == (5, 6)
    monkeypatch.setenv("CADENZA_NUMBERS", " 700, 10 ")
    assert env_positive_ints("CADENZA_NUMBERS", default=(5, 6)) == (700, 10)


@pytest.mark.parametrize("raw", ["700", "700,10,10", "0,10", "-1,10", "a,b", "7.5,1", "\u0661,2"])
def test_env_positive_ints_refuses_anything_else(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv("CADENZA_NUMBERS", raw)
    message = (
        f"CADENZA_NUMBERS={raw!r} is not 2 positive whole numbers separated by commas (e.g. 5,6)"
    )
    with pytest.raises(ValueError, match="positive whole numbers") as refused:
        env_positive_ints("CADENZA_NUMBERS", default=(5, 6))
    assert str(refused.value) == message
