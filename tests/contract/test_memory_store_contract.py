"""The in-memory store passes the store contract."""

from __future__ import annotations

import pytest

from dispatcher.memory_store import MemoryStore
from tests.contract.store_contract import StoreContract


class TestMemoryStore(StoreContract):
    @pytest.fixture
    def store(self):
        return MemoryStore()
