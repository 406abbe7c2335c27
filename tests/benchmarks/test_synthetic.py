"""The synthetic registry of the benchmarks is the same in every process, and the registry would accept it."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pycountry

from benchmarks import synthetic

ROOT = Path(__file__).resolve().parents[2]
DIGEST = """
import hashlib
from benchmarks import synthetic
from mra_registry.interchange import writer
registry, _ = synthetic.generate(200, bodies=40, policies=200)
print(hashlib.sha256(writer.dumps(writer.document(registry)).encode()).hexdigest())
"""


def digest_with_hash_seed(seed: str) -> str:
    result = subprocess.run([sys.executable, "-c", DIGEST], cwd=ROOT, capture_output=True, text=True, check=True,
                            env={**os.environ, "PYTHONHASHSEED": seed})
    return result.stdout.strip()


def test_the_same_seed_gives_the_same_registry_whatever_the_string_hash():
    assert digest_with_hash_seed("1") == digest_with_hash_seed("2")


def test_every_synthetic_economy_is_an_iso_3166_country():
    assert [code for code in synthetic.ECONOMIES if pycountry.countries.get(alpha_2=code) is None] == []
