"""Settings survive versions: missing, extra and broken fields never lose the file."""

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from tiktok_console.core.settings import Settings, load_settings, save_settings


def _defaults(settings: Settings) -> dict:
    return settings.model_dump(exclude={"profile_id"})


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    assert _defaults(load_settings(tmp_path / "settings.json")) == _defaults(Settings())


def test_profile_id_is_kept_once_saved(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    first = load_settings(path)
    save_settings(first, path)
    assert load_settings(path).profile_id == first.profile_id
    assert Settings().profile_id != first.profile_id


def test_old_file_without_new_fields_keeps_its_values(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"theme": "dark"}))
    settings = load_settings(path)
    assert settings.theme == "dark"
    assert settings.window.width == Settings().window.width


def test_unknown_fields_from_a_newer_version_are_ignored(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"theme": "light", "a_future_option": {"x": 1}}))
    assert load_settings(path).theme == "light"


def test_unreadable_file_is_set_aside_not_lost(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text("{not json")
    assert _defaults(load_settings(path)) == _defaults(Settings())
    kept = list(tmp_path.glob("settings.json.unreadable-*"))
    assert len(kept) == 1 and kept[0].read_text() == "{not json"


def test_invalid_values_are_set_aside(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"theme": "purple"}))
    assert load_settings(path).theme == "system"
    assert list(tmp_path.glob("settings.json.unreadable-*"))


@given(
    theme=st.sampled_from(["system", "light", "dark"]),
    width=st.integers(640, 5000),
    dismissed=st.booleans(),
)
def test_round_trip(tmp_path_factory, theme: str, width: int, dismissed: bool) -> None:
    path = tmp_path_factory.mktemp("s") / "settings.json"
    settings = Settings(theme=theme, welcome_dismissed=dismissed)
    settings.window.width = width
    save_settings(settings, path)
    assert load_settings(path) == settings
    assert not list(path.parent.glob(".settings-*"))  # no temp file left behind
