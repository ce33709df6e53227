"""The SQL store passes the store contract on the suite's database (SQLite or PostgreSQL)."""

from __future__ import annotations

import pytest

from dispatcher.sql_store import SqlStore
from tests.contract.store_contract import StoreContract


class TestSqlStore(StoreContract):
    @pytest.fixture
    def store(self, connection):
        connection.begin_nested()
        return SqlStore(connection)

    def commit(self, store) -> None:
        # Release the savepoint and open the next one: writes become visible to later reads
        # exactly as after the engine's commit, and the test's outer transaction undoes them.
        store.connection.get_nested_transaction().commit()
        store.connection.begin_nested()
