"""The profile's identity survives whatever happens to ``settings.json``, and a bad
value is reset alone, with a message naming it (issue 14, item 1)."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tiktok_console.core.logs import SecretRedactor
from tiktok_console.core.paths import AppPaths
from tiktok_console.core.settings import Settings, load_settings
from tiktok_console.profile import open_profile, resolve_paths


def _open(root: Path) -> tuple[str, list[str], Settings]:
    paths = resolve_paths(root)
    profile = open_profile(paths, SecretRedactor())
    try:
        return profile.settings.profile_id, profile.problems, profile.settings
    finally:
        profile.close()


def test_an_out_of_range_value_is_reset_alone_and_named(tmp_path: Path) -> None:
    first, _, _ = _open(tmp_path)
    path = AppPaths.for_profile(tmp_path).settings_file
    data = json.loads(path.read_text())
    data["theme"] = "dark"
    data["window"]["width"] = 600  # below the minimum another version may allow
    data["orders"]["poll_seconds"] = 7.5
    path.write_text(json.dumps(data))

    identity, problems, loaded = _open(tmp_path)

    assert identity == first
    assert loaded.window.width == Settings().window.width
    assert (loaded.theme, loaded.orders.poll_seconds) == ("dark", 7.5)  # the rest is kept
    assert len(problems) == 1 and "window.width" in problems[0] and "600" in problems[0]
    assert list(tmp_path.glob("settings.json.unreadable-*"))  # the merchant's file is kept
    assert json.loads(path.read_text())["window"]["width"] == Settings().window.width


def test_a_truncated_settings_file_keeps_the_profile_id(tmp_path: Path) -> None:
    first, _, _ = _open(tmp_path)
    path = AppPaths.for_profile(tmp_path).settings_file
    path.write_text(path.read_text()[:20])

    identity, problems, _ = _open(tmp_path)

    assert identity == first
    assert problems and "damaged" in problems[0]


def test_an_older_profile_keeps_the_id_it_kept_in_settings(tmp_path: Path) -> None:
    old_id = "0123456789abcdef0123456789abcdef"
    (tmp_path / "settings.json").write_text(json.dumps({"profile_id": old_id, "theme": "dark"}))
    identity, problems, loaded = _open(tmp_path)
    assert identity == old_id and problems == [] and loaded.theme == "dark"
    assert (tmp_path / "profile-id").read_text().strip() == old_id


def test_an_older_truncated_file_still_gives_its_id_back(tmp_path: Path) -> None:
    old_id = "fedcba9876543210fedcba9876543210"
    text = json.dumps({"profile_id": old_id, "theme": "dark", "window": {"width": 900}})
    (tmp_path / "settings.json").write_text(text[:-8])
    identity, _, _ = _open(tmp_path)
    assert identity == old_id


def test_status_does_not_rewrite_a_healthy_settings_file(tmp_path: Path) -> None:
    _open(tmp_path)
    path = AppPaths.for_profile(tmp_path).settings_file
    before = path.stat().st_mtime_ns
    path.chmod(0o400)  # a write would replace the file (new inode, new time)
    _open(tmp_path)
    assert path.stat().st_mtime_ns == before


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
_KEYS = st.sampled_from(["theme", "window", "orders", "inventory", "fulfillment", "zzz"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.dictionaries(_KEYS, _JSON, max_size=5))
def test_any_json_object_loads_and_keeps_every_valid_value(data: dict[str, object]) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "settings.json")
        path.write_text(json.dumps(data))
        problems: list[str] = []
        loaded = load_settings(path, problems)
    if isinstance(data.get("theme"), str) and data["theme"] in ("system", "light", "dark"):
        assert loaded.theme == data["theme"]
    assert len(problems) <= 64
