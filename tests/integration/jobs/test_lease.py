"""The sending lease: one holder at a time on PostgreSQL, failover when it dies."""

from __future__ import annotations

import asyncpg
import pytest

from jobs.delivery.lease import SendingLease
from tests.support.databases import POSTGRES_DSN


async def test_on_sqlite_the_one_process_always_holds_the_lease() -> None:
    lease = SendingLease("sqlite+aiosqlite:///./data/backcare.db")
    assert lease.held
    assert await lease.acquire()
    assert await lease.check()
    await lease.release()
    assert lease.held


@pytest.mark.postgres
async def test_one_process_at_a_time_holds_the_lease_and_another_takes_it_when_it_goes(
    postgres_url: str,
) -> None:
    first, second = SendingLease(postgres_url), SendingLease(postgres_url)
    try:
        assert await first.acquire()
        assert not await second.acquire()
        assert not second.held
        assert await first.check()

        await first.release()
        assert not first.held
        assert await second.acquire()
        assert not await first.acquire()
    finally:
        await first.release()
        await second.release()


@pytest.mark.postgres
async def test_a_holder_whose_connection_dies_finds_out_before_its_next_claim(
    postgres_url: str,
) -> None:
    holder, standby = SendingLease(postgres_url), SendingLease(postgres_url)
    admin = await asyncpg.connect(POSTGRES_DSN)
    try:
        assert await holder.acquire()
        # The server ends the lease's session (as when its connection is cut): the lock goes.
        # With a time-out, terminating waits until the session has ended (PostgreSQL 14 and
        # later): without it the standby could ask while the lock was still held.
        await admin.execute(
            "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity"
            " WHERE application_name = 'backcare sending lease' AND datname = $1",
            postgres_url.rsplit("/", 1)[1],
        )
        assert await standby.acquire()
        assert not await holder.check()
        assert not holder.held
        assert not await holder.acquire()
    finally:
        await admin.close()
        await holder.release()
        await standby.release()
