from decimal import Decimal

import pytest
from sqlalchemy import func, select

from rightsdesk.domain.enums import DealDirection
from rightsdesk.domain.errors import UserError
from rightsdesk.persistence.models import (
    Cue,
    Deal,
    Episode,
    GrantLibrary,
    GrantTerritory,
    Holdback,
    LocalizationTask,
    ReleaseWindow,
    RevenueLine,
    Title,
    TitleLocalizedName,
)
from rightsdesk.services.demo import build_demo


def snapshot(database):
    with database.read() as session:
        return (
            session.execute(select(Title.original_name, Title.producer_id).order_by(Title.id)).all(),
            session.execute(select(Episode.runtime_seconds).order_by(Episode.id)).scalars().all(),
            session.scalar(select(func.sum(RevenueLine.gross_amount))),
        )


def test_the_same_seed_gives_the_same_catalogue(demo_database, database):
    build_demo(database, titles=60, seed=7)
    assert snapshot(database) == snapshot(demo_database)


def test_another_seed_gives_another_catalogue(demo_database, database):
    build_demo(database, titles=60, seed=8)
    assert snapshot(database)[0] != snapshot(demo_database)[0]


def test_the_demo_looks_like_a_real_microdrama_catalogue(demo_database):
    with demo_database.read() as session:
        languages = set(session.scalars(select(Title.original_language)))
        episode_counts = session.execute(select(func.count(Episode.id)).group_by(Episode.title_id)).scalars().all()
        english_names = session.scalar(select(func.count()).where(TitleLocalizedName.language_tag == "en"))
        directions = set(session.scalars(select(Deal.direction)))
        grouped = session.scalar(select(func.count()).where(GrantTerritory.group_id.is_not(None)))
        excluded = session.scalar(select(func.count()).where(GrantTerritory.excluded))
        currencies = set(session.scalars(select(RevenueLine.currency)))
        periods = set(session.scalars(select(RevenueLine.period_start)))
        unmatched = session.scalar(select(func.count()).where(RevenueLine.title_id.is_(None), RevenueLine.library_id.is_(None)))
        counts = {model.__name__: session.scalar(select(func.count()).select_from(model))
                  for model in (ReleaseWindow, Cue, LocalizationTask, Holdback, GrantLibrary)}
        amounts = session.scalars(select(RevenueLine.gross_amount)).all()
    assert {"zh-Hans", "th", "es-419", "pt-BR", "id", "en"} <= languages
    assert len(episode_counts) == 60 and min(episode_counts) >= 40 and max(episode_counts) <= 120
    assert english_names >= 40
    assert directions == {DealDirection.IN, DealDirection.OUT}
    assert grouped > 0 and excluded > 0  # e.g. WORLD excluding GREATER_CHINA
    assert len(currencies) >= 3 and len(periods) == 3
    assert unmatched >= 0
    assert all(count > 0 for count in counts.values()), counts
    assert all(isinstance(amount, Decimal) for amount in amounts)


def test_the_demo_only_fills_an_empty_catalogue(demo_database):
    with pytest.raises(UserError, match="already holds titles"):
        build_demo(demo_database, titles=5)


def test_a_cancelled_demo_leaves_nothing_behind(database):
    class Stop(Exception):
        pass

    def progress(stage: str, percent: int) -> None:
        if stage == "rights bought in":
            raise Stop

    with pytest.raises(Stop):
        build_demo(database, titles=30, progress=progress)
    with database.read() as session:
        assert session.scalar(select(func.count(Title.id))) == 0


def test_the_demo_can_add_a_platform_month_at_volume(database):
    from datetime import date

    from rightsdesk.persistence.models import ImportBatch

    build_demo(database, titles=12, seed=3, revenue_lines=1500)
    with database.read() as session:
        [batch] = session.scalars(select(ImportBatch).where(ImportBatch.file_name == "VolumeShorts 2026-09.csv")).all()
        lines = session.execute(select(func.count(), func.count(RevenueLine.title_id), func.min(RevenueLine.period_end))
                                .where(RevenueLine.batch_id == batch.id)).one()
    assert batch.row_count == 1500 and lines == (1500, 1485, date(2026, 9, 30))  # 1 % match no title
    with pytest.raises(UserError, match="cannot be negative"):
        build_demo(database, titles=1, revenue_lines=-1)


def test_every_signed_out_deal_of_the_demo_passes_the_clash_check(demo_database):
    """The demo obeys the product's own rules (issue 18): no signed licence clashes with another,
    with a holdback (a library's FAST deal under an APP deal's holdback) or with what was acquired."""
    from rightsdesk.domain.enums import DealStatus
    from rightsdesk.persistence.models import Deal
    from rightsdesk.services import deals, reference

    with demo_database.read() as session:
        groups = reference.territory_groups(session)
        signed = session.execute(select(Deal.id, Deal.reference).where(
            Deal.direction == DealDirection.OUT, Deal.status == DealStatus.SIGNED)).all()
        assert len(signed) > 5
        clashing = {reference_: found for deal_id, reference_ in signed if (found := deals.check_deal(session, deal_id, groups))}
    assert clashing == {}
