import pytest

from samestory import ConfigError, load_settings
from samestory.settings import Settings


def test_defaults_are_packaged():
    s = load_settings()
    assert s.store.path == "samestory.db"
    assert s.ingest.batch_size == 500


def test_code_defaults_equal_the_packaged_file():
    # Settings() (a library caller building settings in code) must behave as the packaged defaults.toml
    assert Settings() == load_settings()


def test_user_file_then_overrides(tmp_path):
    cfg = tmp_path / "my.toml"
    cfg.write_text('[store]\npath = "x.db"\n[ingest]\nbatch_size = 7\n')
    s = load_settings(cfg, {"store": {"path": "y.db"}})
    assert s.store.path == "y.db"
    assert s.ingest.batch_size == 7


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("[store]\npaht = 1\n", "unknown setting store.paht; valid keys in [store]: keep_html, path"),
        ("[nope]\na = 1\n", "unknown settings section [nope]"),
        ('[ingest]\nbatch_size = "big"\n', "ingest.batch_size must be int"),
        ("[ingest]\nbatch_size = 0\n", "ingest.batch_size must be in [1, 100000], got 0"),
        ("[cluster]\nsplit_probability = 1.5\n", "cluster.split_probability must be in [0, 1], got 1.5"),
        ("not toml ===", "cannot read settings file"),
    ],
)
def test_bad_settings_name_the_fix(tmp_path, text, fragment):
    cfg = tmp_path / "bad.toml"
    cfg.write_text(text)
    with pytest.raises(ConfigError) as exc:
        load_settings(cfg)
    assert fragment in str(exc.value)


def test_missing_settings_file():
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings("/nonexistent/samestory.toml")
