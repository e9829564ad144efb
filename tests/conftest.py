"""Shared fixtures: small inventory folders are written from readable inline texts."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from graphgov import examples

# Every test that depends on today's date uses this one instead.
AS_OF = date(2026, 11, 23)

Writer = Callable[[dict[str, str | bytes]], Path]


@pytest.fixture
def write_inventory(tmp_path: Path) -> Writer:
    """Write {relative path: text} into a fresh folder and return the folder."""
    counter = iter(range(1000))

    def write(files: dict[str, str | bytes]) -> Path:
        root = tmp_path / f"inventory{next(counter)}"
        for name, content in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
        return root

    return write


@pytest.fixture
def acme(tmp_path: Path) -> Path:
    """An editable copy of the example organisation."""
    dest = tmp_path / "acme"
    examples.write("acme", dest)
    return dest
