"""Test doubles that are not shipped (not in the wheel's packages): the fake vendor APIs.

Used by the API-mode tests and by `make demo-api` (`python -m testing.fake_apis`), both run
from the repository root.
"""
