import importlib

import samestory

PUBLIC_MODULES = ["records", "articles", "errors", "settings", "readers", "cleaning", "embed", "analysis", "scoring", "clustering", "store", "pipeline"]


def test_all_names_exist():
    for name in samestory.__all__:
        assert hasattr(samestory, name), name


def test_public_surface_is_complete():
    """Every name a public module exports is re-exported from the package."""
    for mod in PUBLIC_MODULES:
        module = importlib.import_module(f"samestory.{mod}")
        missing = set(getattr(module, "__all__", [])) - set(samestory.__all__) - {"SUFFIXES", "extract_html", "DIMENSIONS"}
        assert not missing, f"samestory.{mod} exports {sorted(missing)} but samestory/__init__ does not"


def test_error_tree_has_one_root():
    for name in ["InputError", "ReadError", "ConfigError", "MissingExtraError", "StoreError", "BacklogError", "ModelError"]:
        assert issubclass(getattr(samestory, name), samestory.SamestoryError)
    err = samestory.MissingExtraError("the Spark job", "spark")
    assert "pip install 'samestory[spark]'" in str(err)
    assert str(err).startswith("SS210: ")
