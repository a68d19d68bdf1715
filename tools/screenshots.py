"""Draw the docs' screenshots: a guided stretch, the progress chart and the report's page.

Nothing is mocked up by hand: each picture is made by the bot's own code from a made-up
person's week in a throwaway SQLite database (the stretch card from `bot.flows.guided`,
the chart and its caption from `/progress`, the report from `/report`), then laid out as
a Telegram chat in its dark theme with Pillow. The report's first page is rasterised with
pypdfium2, which the project does not install: run it as the docs say,

    .uv/bin/uv run --no-sync --with pypdfium2 python -m tools.screenshots

It writes docs/images/screenshots/{stretch-session,progress-chart,report-page}.png.
Emoji that the font (DejaVu Sans, matplotlib's copy) has no glyph for are left out.
"""

from __future__ import annotations

import asyncio
import io
import sys
import tempfile
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import matplotlib as mpl
from matplotlib.ft2font import FT2Font
from PIL import Image, ImageDraw, ImageFont

from bot import wording
from bot.flows import guided
from bot.flows.reply import Shown
from bot.wording import report as report_words
from bot.wording.answers import ANSWER_WORDS
from bot.wording.common import Screen
from bot.wording.nudges import NudgeTexts
from bot.wording.progress import chart_words
from guidance import Guide
from jobs.documents.chart import render_chart
from jobs.documents.report import render_report
from jobs.rules.guided import Session
from jobs.rules.person import person_of
from jobs.rules.windows import MONDAY_TO_FRIDAY, TimeWindow
from jobs.services import progress as progress_service
from jobs.services.profile import NewUserDefaults, find_or_create_user
from storage.database import create_engine, create_sessionmaker
from storage.models import Base, CareSession, Event, EventKind, Flare, PainCheckin, Treatment

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "images" / "screenshots"
NOW = datetime(2025, 6, 8, 16, 0, tzinfo=UTC)  # Sunday 18:00 in Berlin
WIDTH = 720
BUBBLE = 600
PAD = 18
# Telegram's dark theme.
BACKGROUND = (14, 22, 33)
BUBBLE_FILL = (24, 37, 51)
BUTTON_FILL = (36, 56, 78)
TEXT = (245, 245, 245)
FONTS = Path(mpl.get_data_path()) / "fonts" / "ttf"
REGULAR, BOLD = FONTS / "DejaVuSans.ttf", FONTS / "DejaVuSans-Bold.ttf"
SIZE = 21


def _drawable(text: str) -> str:
    """The text without the characters the font has no glyph for (most emoji)."""
    font = FT2Font(str(REGULAR))
    kept = "".join(c for c in text if c in "\n " or font.get_char_index(ord(c)))
    return "\n".join(" ".join(line.split()) for line in kept.split("\n"))


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            trial = f"{line} {word}".strip()
            if font.getlength(trial) <= width or not line:
                line = trial
            else:
                lines.append(line)
                line = word
        lines.append(line)
    return lines


def _caption_lines(screen: Screen) -> list[tuple[str, bool]]:
    """Each line as shown, and whether it is bold (a heading)."""
    regular = ImageFont.truetype(str(REGULAR), SIZE)
    shown: list[tuple[str, bool]] = []
    for line in screen.text.split("\n"):
        bold = line in screen.headings
        font = ImageFont.truetype(str(BOLD), SIZE) if bold else regular
        shown.extend((part, bold) for part in _wrap(_drawable(line), font, BUBBLE - 2 * PAD))
    return shown


def chat_bubble(picture: bytes, screen: Screen) -> Image.Image:
    """A picture message as Telegram shows it: the picture, its caption, its buttons."""
    image = Image.open(io.BytesIO(picture)).convert("RGB")
    image = image.resize((BUBBLE, round(image.height * BUBBLE / image.width)), Image.LANCZOS)
    lines = _caption_lines(screen)
    line_height = round(SIZE * 1.38)
    labels = [_drawable(label) for row in screen.rows for label, _ in row]
    buttons = 56 if labels else 0
    height = PAD * 2 + image.height + PAD + len(lines) * line_height + PAD + buttons + PAD
    canvas = Image.new("RGB", (WIDTH, height), BACKGROUND)
    draw = ImageDraw.Draw(canvas)
    left, top = PAD, PAD
    bottom = top + image.height + PAD + len(lines) * line_height + PAD
    draw.rounded_rectangle((left, top, left + BUBBLE, bottom), radius=16, fill=BUBBLE_FILL)
    canvas.paste(image, (left, top))
    fonts = {
        False: ImageFont.truetype(str(REGULAR), SIZE),
        True: ImageFont.truetype(str(BOLD), SIZE),
    }
    y = top + image.height + PAD // 2
    for line, bold in lines:
        draw.text((left + PAD, y), line, font=fonts[bold], fill=TEXT)
        y += line_height
    if labels:
        gap, y = 6, bottom + 6
        each = (BUBBLE - gap * (len(labels) - 1)) / len(labels)
        for index, label in enumerate(labels):
            x = left + index * (each + gap)
            draw.rounded_rectangle((x, y, x + each, y + 46), radius=10, fill=BUTTON_FILL)
            width = fonts[False].getlength(label.strip())
            draw.text(
                (x + (each - width) / 2, y + 11), label.strip(), font=fonts[False], fill=TEXT
            )
    return canvas


def stretch_card() -> Image.Image:
    """The first card of a guided session, its hold not yet counting."""
    guide = Guide.load(words=ANSWER_WORDS)
    texts = NudgeTexts(guide)
    session = Session(("stretch-hamstring", "stretch-cat-cow", "stretch-childs-pose"))
    reply = guided.card(session, texts, guide, shown=Shown.NEW)
    assert reply.photo is not None
    picture = texts.exercises[reply.photo].picture
    assert picture is not None
    return chat_bubble(picture.read_bytes(), reply.screen)


async def _someones_month(path: Path) -> tuple[bytes, Screen, bytes]:
    """A made-up person's month in a fresh database: their chart, its caption, the report."""
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    async with engine.begin() as connection:
        await connection.run_sync(Base.metadata.create_all)
    sessionmaker = create_sessionmaker(engine)
    defaults = NewUserDefaults(
        waking=TimeWindow(time(7), time(22)),
        work=TimeWindow(time(9), time(17)),
        work_days=MONDAY_TO_FRIDAY,
        water_goal_ml=2000,
        water_glass_ml=250,
        posture_every_minutes=60,
        stretch_time=time(19),
    )
    async with sessionmaker.begin() as session:
        user, _ = await find_or_create_user(session, telegram_id=1, chat_id=1, defaults=defaults)
        user.timezone, user.onboarding_step, user.awaiting = "Europe/Berlin", None, None
        user.created_at = NOW - timedelta(days=20)
        glasses = (8, 6, 8, 5, 7, 8, 4, 8, 8, 6, 3, 8, 7, 8, 8, 6, 8, 7, 5, 8)
        for back, count in enumerate(reversed(glasses)):
            day = NOW - timedelta(days=back, hours=6)
            session.add_all(
                Event(
                    user_id=user.id,
                    kind=EventKind.WATER,
                    at=day + timedelta(minutes=40 * glass),
                    amount_ml=250,
                )
                for glass in range(count)
            )
            if back % 3 != 1:
                session.add(Event(user_id=user.id, kind=EventKind.STRETCH, at=day))
        episode = Flare(user_id=user.id, started_at=NOW - timedelta(days=6), red_flags=False)
        session.add(episode)
        await session.flush()
        for back, score in ((6, 7), (5, 6), (4, 6), (2, 4), (1, 3), (0, 2)):
            at = NOW - timedelta(days=back, hours=9)
            session.add(PainCheckin(user_id=user.id, flare_id=episode.id, at=at, score=score))
        for back, hour, treatment in (
            (6, 10, Treatment.ICE),
            (5, 11, Treatment.ICE),
            (3, 17, Treatment.HEAT),
        ):
            at = NOW - timedelta(days=back) + timedelta(hours=hour - 16)
            session.add(
                CareSession(
                    user_id=user.id,
                    flare_id=episode.id,
                    treatment=treatment,
                    started_at=at,
                    step=0,
                    step_ends_at=at + timedelta(minutes=15),
                    taken_off_at=at + timedelta(minutes=15),
                )
            )
        episode.ended_at = NOW - timedelta(hours=2)
    async with sessionmaker() as session:
        user = await session.merge(user)
        week = await progress_service.progress(session, person_of(user), now=NOW)
        report = await progress_service.report(session, user, now=NOW)
    await engine.dispose()
    return (
        render_chart(week, chart_words(week)),
        wording.progress.chart(week),
        render_report(report_words.report_page(report)),
    )


def report_page(pdf: bytes) -> Image.Image:
    """The report's first page, rasterised, on the chat's background."""
    try:
        import pypdfium2  # only this picture needs it
    except ImportError:
        sys.exit("pypdfium2 is needed: .uv/bin/uv run --no-sync --with pypdfium2 python -m ...")
    page = pypdfium2.PdfDocument(pdf)[0]
    image = page.render(scale=WIDTH * 1.6 / page.get_width()).to_pil().convert("RGB")
    image = image.resize((WIDTH - 2 * PAD, round(image.height * (WIDTH - 2 * PAD) / image.width)))
    canvas = Image.new("RGB", (WIDTH, image.height + 2 * PAD), BACKGROUND)
    canvas.paste(image, (PAD, PAD))
    return canvas


def main() -> None:
    """Draw the three screenshots into docs/images/screenshots/."""
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        chart, caption, pdf = asyncio.run(_someones_month(Path(folder) / "screens.db"))
    made = {
        "stretch-session": stretch_card(),
        "progress-chart": chat_bubble(chart, caption),
        "report-page": report_page(pdf),
    }
    for name, image in made.items():
        target = OUT / f"{name}.png"
        image.quantize(colors=128, method=Image.Quantize.MEDIANCUT).save(target, optimize=True)
        print(f"{target.relative_to(ROOT)}: {image.width}x{image.height}")


if __name__ == "__main__":
    main()
