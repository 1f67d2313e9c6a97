"""Resources resolve the same way from the source tree and from a frozen bundle."""

from pathlib import Path

import pytest

from tiktok_console.core.resources import resource_path


def test_from_source_the_resources_folder_of_the_checkout_is_used() -> None:
    assert resource_path("icon.svg") == Path(__file__).parents[2] / "resources" / "icon.svg"


def test_frozen_the_bundles_resources_folder_is_used(tmp_path: Path, monkeypatch) -> None:
    icon = tmp_path / "resources" / "icon.svg"
    icon.parent.mkdir()
    icon.write_text("<svg/>")
    monkeypatch.setattr("sys._MEIPASS", str(tmp_path), raising=False)
    assert resource_path("icon.svg") == icon


def test_a_resource_missing_from_the_bundle_is_a_clear_error(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr("sys._MEIPASS", str(tmp_path), raising=False)
    with pytest.raises(FileNotFoundError, match="bundled resource missing"):
        resource_path("icon.svg")
