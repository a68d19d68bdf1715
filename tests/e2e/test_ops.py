"""End to end: the real bot answers /healthz, /readyz and /metrics on its ops port.

The bot runs on a driven clock with JSON logs; a person sets up and gets the morning's
nudges; the metrics then count each sent nudge by kind, with its lateness, and the page
holds nothing about the person.
"""

from __future__ import annotations

import json
import re
import socket
from collections import Counter
from pathlib import Path

import pytest

from storage.models import DeliveryStatus
from tests.support.bot_process import TOKEN, bot_environment, free_port, get, run_to_exit, samples
from tests.support.botapi_stub import BotApiStub
from tests.support.driven import DrivenBot, Nudge, Person, local

pytestmark = pytest.mark.e2e

BEA = 737373737


class Bea(Person):
    """Sets up, then lets every nudge be."""

    def react(self, nudge: Nudge) -> None:
        """Let the nudge be."""
        self.note(f"lets {nudge} be")


def test_health_readiness_and_metrics_of_a_running_bot(botapi: BotApiStub, tmp_path: Path) -> None:
    port = free_port()
    base = DrivenBot.prepare(botapi, tmp_path, local("06:50"))
    bot = DrivenBot(
        base.clock,
        base.database,
        {**base.env, "BACKCARE_OPS__PORT": str(port), "BACKCARE_LOGGING__FORMAT": "json"},
        base.log_file,
    )
    ops = f"http://127.0.0.1:{port}"
    bea = Bea(BEA, botapi, bot)
    try:
        with bea.running() as process:
            assert get(f"{ops}/healthz") == (200, "ok\n")
            status, body = get(f"{ops}/readyz")
            assert status == 200, body
            assert json.loads(body) == {
                "ready": True,
                "failed": [],
                "checks": {
                    "started": "ok",
                    "database": "ok",
                    "migrations": "ok",
                    "telegram": "ok",
                    "updates": "ok",
                },
            }

            bea.onboard()
            bea.run_until(local("10:00"))
            assert bea.nudges, bea.timeline()

            status, page = get(f"{ops}/metrics")
            assert status == 200
            assert process.poll() is None
        assert process.returncode == 0  # a clean stop, ops server and all
        sent_by_kind = Counter(
            delivery.kind.value
            for delivery in bot.database.deliveries()
            if delivery.status is DeliveryStatus.SENT
        )
    finally:
        bot.database.close()

    assert sent_by_kind, bea.timeline()
    counted = samples(page, "backcare_nudges_sent_total")
    assert {labels: value for labels, value in counted.items() if value} == {
        f'kind="{kind}"': float(count) for kind, count in sent_by_kind.items()
    }
    lateness = samples(page, "backcare_nudge_lateness_seconds_count")
    assert sum(lateness.values()) == sum(sent_by_kind.values())
    assert 'backcare_nudge_lateness_seconds_bucket{kind="water",le="600.0"}' in page
    assert sum(samples(page, "backcare_nudges_failed_total").values()) == 0
    assert re.search(r"^backcare_nudges_due 0\.0$", page, flags=re.MULTILINE)
    # Every message Bea typed was read for warning signs; none held one.
    assert samples(page, "backcare_triage_total")['level="none"'] >= 1
    assert re.search(r"^backcare_update_seconds_count [1-9]", page, flags=re.MULTILINE)
    # Nothing about Bea: not her chat id, nor anything she typed.
    assert str(BEA) not in page
    assert "Berlin" not in page

    # The logs were JSON lines, one object each, and never showed the token.
    output = bot.log_file.read_text()
    assert TOKEN not in output
    records = [json.loads(line) for line in output.splitlines() if line.strip()]
    assert any(record["message"].startswith("BackCare is up") for record in records)
    assert all({"time", "level", "logger", "message"} <= record.keys() for record in records)


def test_a_taken_ops_port_stops_the_bot_with_one_line(botapi: BotApiStub, tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = bot_environment(
            botapi,
            f"sqlite+aiosqlite:///{tmp_path / 'backcare.db'}",
            BACKCARE_OPS__PORT=str(port),
        )
        result = run_to_exit(env, timeout=60)
    assert result.returncode == 1, result.stderr[-2000:]
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith(f"backcare: could not serve health and metrics on 127.0.0.1:{port}")
    assert "BACKCARE_OPS__PORT" in last
