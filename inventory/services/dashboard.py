"""Figures for the dashboard: counts by status and kind, fleet age, warranties, last seen, work waiting."""

from datetime import date, datetime, timedelta

from sqlalchemy import case, func, select

from ..extensions import db
from ..models import Alert, Asset, OffboardingCase, OffboardingLine, OnboardingCase, TriageItem
from ..models.base import KINDS, STATUSES, utcnow

AGE_BUCKETS = ((1, "< 1 year"), (2, "1-2 years"), (3, "2-3 years"), (4, "3-4 years"), (5, "4-5 years"))
SEEN_BUCKETS = ((1, "today"), (7, "this week"), (30, "this month"), (90, "this quarter"))


def _counts(column, labels) -> list[tuple[str, int]]:
    found = dict(db.session.execute(select(column, func.count()).group_by(column)).all())
    return [(label, found.get(label, 0)) for label in labels]


def _bucketed(column, edges: list, labels: list[str], older: str, never: str):
    """Count rows per bucket of column in one query: edges are descending bounds (newest first)."""
    whens = [(column >= edge, i) for i, edge in enumerate(edges)]
    bucket = case((column.is_(None), -1), *whens, else_=len(edges))
    found = dict(db.session.execute(select(bucket, func.count()).group_by(bucket)).all())
    return [(label, found.get(i, 0)) for i, label in enumerate(labels)] + [(older, found.get(len(edges), 0)),
                                                                            (never, found.get(-1, 0))]


def fleet_age(today: date) -> list[tuple[str, int]]:
    edges = [_years_before(today, years) for years, _ in AGE_BUCKETS]
    return _bucketed(Asset.purchase_date, edges, [label for _, label in AGE_BUCKETS], "5 years +", "unknown")


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def last_seen(now: datetime) -> list[tuple[str, int]]:
    edges = [now - timedelta(days=days) for days, _ in SEEN_BUCKETS]
    return _bucketed(Asset.last_seen_at, edges, [label for _, label in SEEN_BUCKETS], "longer ago", "never")


def warranties_by_month(today: date, months: int = 12) -> list[tuple[str, int]]:
    """Warranties ending in each of the coming months (this month first), of assets still in use."""
    starts = [_add_months(today.replace(day=1), i) for i in range(months + 1)]
    rows = db.session.execute(select(Asset.warranty_end).where(
        Asset.warranty_end >= today, Asset.warranty_end < starts[-1],
        Asset.status.not_in(("retired", "disposed", "lost", "stolen")))).scalars()
    counts = {s: 0 for s in starts[:-1]}
    for end in rows:
        counts[end.replace(day=1)] += 1
    return [(s.strftime("%b %Y"), n) for s, n in counts.items()]


def _add_months(day: date, n: int) -> date:
    month = day.month - 1 + n
    return day.replace(year=day.year + month // 12, month=month % 12 + 1)


def not_seen(now: datetime, days: int, limit: int = 10) -> tuple[int, list[dict]]:
    """Assets discovery once saw but not for `days` days (still in use): how many, and the longest unseen."""
    where = (Asset.last_seen_at < now - timedelta(days=days),
             Asset.status.not_in(("retired", "disposed", "lost", "stolen")))
    total = db.session.execute(select(func.count()).select_from(Asset).where(*where)).scalar_one()
    rows = db.session.execute(select(Asset.id, Asset.asset_tag, Asset.hostname, Asset.last_seen_at).where(*where)
                              .order_by(Asset.last_seen_at, Asset.id).limit(limit)).mappings()
    return total, [dict(r) for r in rows]


def waiting() -> dict:
    """Work waiting for a person: open triage items by kind, open alerts."""
    triage = dict(db.session.execute(select(TriageItem.kind, func.count()).where(TriageItem.status == "open")
                                     .group_by(TriageItem.kind)).all())
    alerts = db.session.execute(select(Alert).where(Alert.closed_at.is_(None))
                                .order_by(Alert.last_seen.desc(), Alert.id.desc()).limit(10)).scalars().all()
    alert_count = db.session.execute(select(func.count()).select_from(Alert).where(Alert.closed_at.is_(None))
                                     ).scalar_one()
    return {"unmatched": triage.get("unmatched", 0), "conflicts": triage.get("conflict", 0), "alerts": alerts,
            "alert_count": alert_count}


def open_cases(today: date) -> dict:
    """Open onboarding and offboarding cases, and how many are overdue (needed-by date or a line's due date past)."""
    def count(model, *where) -> int:
        return db.session.execute(select(func.count()).select_from(model).where(*where)).scalar_one()

    late_line = select(OffboardingLine.id).where(OffboardingLine.case_id == OffboardingCase.id,
                                                 OffboardingLine.state == "open", OffboardingLine.due_date < today)
    return {"onboarding": count(OnboardingCase, OnboardingCase.state == "open"),
            "onboarding_overdue": count(OnboardingCase, OnboardingCase.state == "open", OnboardingCase.needed_by < today),
            "offboarding": count(OffboardingCase, OffboardingCase.state == "open"),
            "offboarding_overdue": count(OffboardingCase, OffboardingCase.state == "open", late_line.exists())}


def summary(missing_after_days: int) -> dict:
    now = utcnow()
    today = now.date()
    total, unseen = not_seen(now, missing_after_days)
    return {
        "total": db.session.execute(select(func.count()).select_from(Asset)).scalar_one(),
        "by_status": _counts(Asset.status, STATUSES), "by_kind": _counts(Asset.kind, KINDS),
        "fleet_age": fleet_age(today), "warranties": warranties_by_month(today), "last_seen": last_seen(now),
        "missing_after_days": missing_after_days, "not_seen_count": total, "not_seen": unseen,
        "waiting": waiting(), "cases": open_cases(today),
    }
