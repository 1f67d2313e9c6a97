"""A profile directory holds everything; the default follows the OS conventions."""

from pathlib import Path

from tiktok_console.core.paths import AppPaths


def test_profile_keeps_everything_under_one_directory(tmp_path: Path) -> None:
    paths = AppPaths.for_profile(tmp_path / "shop2").ensure()
    for path in (paths.database, paths.settings_file, paths.log_file):
        assert path.is_relative_to(tmp_path / "shop2")
    assert paths.log_dir.is_dir()


def test_default_paths_are_per_user_and_named_for_the_app() -> None:
    paths = AppPaths.default()
    assert "tiktok-console" in str(paths.data_dir)
    assert "tiktok-console" in str(paths.log_dir)
