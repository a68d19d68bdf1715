"""The lease's check when its connection fails in each way asyncpg says so (no database)."""

from __future__ import annotations

import asyncpg
import pytest

from jobs.delivery.lease import SendingLease


class BrokenConnection:
    """A lease connection whose next command fails as a lost session does."""

    def __init__(self, error: BaseException) -> None:
        self.error = error
        self.closed = False

    def is_closed(self) -> bool:
        return self.closed

    async def fetchval(self, *_args: object, **_kwargs: object) -> object:
        raise self.error

    async def close(self) -> None:
        self.closed = True

    def terminate(self) -> None:
        self.closed = True


@pytest.mark.parametrize(
    "error",
    [
        ConnectionResetError("reset"),
        asyncpg.InterfaceError("connection is closed"),
        asyncpg.InternalClientError("unexpected connection_lost() call"),
    ],
    ids=["os", "interface", "internal-client"],
)
async def test_a_lost_connection_lets_the_lease_go_whatever_asyncpg_raises(
    error: BaseException,
) -> None:
    lease = SendingLease("postgresql+asyncpg://postgres@127.0.0.1:9/none")
    connection = BrokenConnection(error)
    lease._connection = connection
    assert lease.held
    assert not await lease.check()
    assert not lease.held
    assert connection.closed
