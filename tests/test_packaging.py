"""What `pip install .` ships: every Python package of the engine, the loaders and the
packs is listed in pyproject.toml (the tests run on an editable install, which would
hide a missing one)."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_python_package_is_listed_for_the_wheel() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "setuptools"
    ]
    listed = set(config["packages"])
    mapping = config["package-dir"]
    found = set()
    for name, folder in mapping.items():
        base = ROOT / folder
        for init in base.rglob("__init__.py"):
            relative = init.parent.relative_to(base).parts
            found.add(".".join([name, *relative]))
    assert found == listed


def _folder(package: str, mapping: dict[str, str]) -> Path:
    """Where ``package`` lives in the repository, by the longest package-dir prefix."""
    parts = package.split(".")
    for n in range(len(parts), 0, -1):
        prefix = ".".join(parts[:n])
        if prefix in mapping:
            return ROOT / mapping[prefix] / Path(*parts[n:])
    return ROOT / Path(*parts)


def test_every_data_file_is_declared_for_the_wheel() -> None:
    """The wheel carries exactly the package-data globs (include-package-data is off, so
    the build does not mistake data folders for packages): every catalogue, template,
    example and query file in the repository must match one of them."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "setuptools"
    ]
    assert config["include-package-data"] is False
    packages, mapping = config["packages"], config["package-dir"]
    folders = {_folder(p, mapping): p for p in packages}
    declared: set[Path] = set()
    for folder, package in folders.items():
        for pattern in config["package-data"].get(package, []):
            declared |= {f for f in folder.glob(pattern) if f.is_file()}
    data = {
        path
        for folder in folders
        for path in folder.rglob("*")
        if path.is_file() and path.suffix not in (".py", ".pyc") and "__pycache__" not in path.parts
    }
    assert sorted(str(p.relative_to(ROOT)) for p in data - declared) == []
