"""Shared fixtures: the conformance vectors (tests/vectors, a copy of ../shared/vectors kept
in sync by tests/vectors.rs) and the linksfield test keys."""

from __future__ import annotations

import json
import pathlib
import sys
from typing import Any, Dict, Iterator, List, Tuple

import pytest

import apisign

HERE = pathlib.Path(__file__).resolve().parent
VECTORS = HERE.parent / "vectors"

# The reference module and the test server sit next to the tests.
sys.path.insert(0, str(HERE))


def vector_files() -> List[Dict[str, Any]]:
    files = sorted(VECTORS.glob("*.json"))
    assert files, f"no vector files in {VECTORS}"
    return [json.loads(p.read_text(encoding="utf-8")) for p in files]


def all_cases() -> List[Tuple[str, Dict[str, Any], Dict[str, Any]]]:
    """``(scheme, file, case)`` for every case of every file."""
    return [(f["scheme"], f, c) for f in vector_files() for c in f["cases"]]


def linksfield_keys() -> Dict[str, str]:
    for f in vector_files():
        if f["scheme"] == "linksfield":
            keys: Dict[str, str] = f["keys"]
            return keys
    raise AssertionError("no linksfield vector file")


@pytest.fixture(scope="session")
def lf_private_pem() -> str:
    return linksfield_keys()["rsa1024_pkcs8_pem"]


@pytest.fixture(scope="session")
def lf_public_pem() -> str:
    return linksfield_keys()["rsa1024_public_spki_pem"]


@pytest.fixture(scope="session")
def lf_key(lf_private_pem: str) -> apisign.PrivateKey:
    return apisign.PrivateKey(lf_private_pem)


def iter_ids() -> Iterator[str]:
    for scheme, _, case in all_cases():
        yield f"{scheme}/{case['id']}"
