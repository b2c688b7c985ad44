"""Settings read from the environment say clearly what is wrong with a bad value."""

from __future__ import annotations

import pytest

from cadenza.lib.environment import env_bool, env_list


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
