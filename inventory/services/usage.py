"""Who uses what: user identities seen on assets, matched to employees' logins, proposing and checking assignments.

Each (asset, login) keeps a compact record: first and last seen, how many reports and on how many days. From it,
after every ingest, the affected assets are evaluated: an unassigned in-stock asset used by one employee on enough
days gets an assignment suggestion; an asset held by X but used by Y (and not X) since checkout raises an alert.
"""

from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from sqlalchemy import delete, or_, select, update

from ..errors import Conflict
from ..extensions import db
from ..models import Alert, Asset, AssetUser, Assignment, AssignmentSuggestion, Employee, EmployeeLogin
from ..models.base import utcnow
from ..models.offboarding import OffboardingCase, OffboardingLine
from ..models.usage import AssetUserDay
from ..normalize import normalize_login
from . import bulk, offboarding, suggestions
from .changelog import record
from .context import Context

# Accounts that say nothing about which person uses a device.
SYSTEM_LOGINS = frozenset({"root", "administrator", "system", "guest", "nobody", "defaultaccount", "local service",
                           "network service", "wdagutilityaccount", "daemon", "(unknown)"})
MISMATCH = "assignment_mismatch"


# Employees' directory logins

def check_logins(logins: list[str], employee_id: int | None) -> list[str]:
    """The logins to keep (one per normalised key, order kept); 409 if another employee has one of them."""
    kept, keys = [], []
    for login in logins:
        key = normalize_login(login)
        if key and key not in keys:
            kept.append(login.strip())
            keys.append(key)
    if keys:
        stmt = select(EmployeeLogin.login_key, Employee.name).join(Employee, Employee.id == EmployeeLogin.employee_id)
        stmt = stmt.where(EmployeeLogin.login_key.in_(keys))
        if employee_id is not None:
            stmt = stmt.where(EmployeeLogin.employee_id != employee_id)
        taken = db.session.execute(stmt).all()
        if taken:
            raise Conflict("Login already belongs to another employee.",
                           {"logins": [f"'{key}' is a login of {name}." for key, name in taken]})
    return kept


def store_login_keys(employee: Employee) -> None:
    """Make the lookup table match employee.logins."""
    db.session.execute(delete(EmployeeLogin).where(EmployeeLogin.employee_id == employee.id))
    keys = sorted({normalize_login(login) for login in employee.logins or []} - {None})
    if keys:
        db.session.execute(EmployeeLogin.__table__.insert(), [{"employee_id": employee.id, "login_key": k}
                                                              for k in keys])


def resolve(keys: set[str]) -> dict[str, int]:
    """Login key -> employee id: by login, then by email, then a user@domain name by its user part."""
    found: dict[str, int] = {}
    for part in bulk.chunks(sorted(keys)):
        found.update(db.session.execute(select(EmployeeLogin.login_key, EmployeeLogin.employee_id)
                                        .where(EmployeeLogin.login_key.in_(part))).all())
    emails = sorted(k for k in keys if "@" in k and k not in found)
    for part in bulk.chunks(emails):
        found.update(db.session.execute(select(Employee.email, Employee.id).where(Employee.email.in_(part))).all())
    local = {k.split("@", 1)[0]: k for k in keys if "@" in k and k not in found}
    for part in bulk.chunks(sorted(local)):
        for key, employee_id in db.session.execute(select(EmployeeLogin.login_key, EmployeeLogin.employee_id)
                                                   .where(EmployeeLogin.login_key.in_(part))):
            found[local[key]] = employee_id
    return found


def login_keys_of(employee: Employee) -> set[str]:
    keys = {normalize_login(login) for login in employee.logins or []} | {employee.email}
    return keys - {None}


# Recording what was seen

def record_users(reports: list[tuple[int, dict]], source: str) -> set[int]:
    """Upsert the users each observation names on its asset, and the days they were seen on; return the assets
    that had any. A user's own time (a last login) counts rather than the report's, so daily reports of a machine
    someone logged into once add no days."""
    rows: dict[tuple[int, str], dict] = {}
    days: dict[tuple[int, str, object], dict] = {}
    for asset_id, obs in reports:
        for user in obs.get("users") or ():
            key = normalize_login(user["login"])
            if not key or key in SYSTEM_LOGINS:
                continue
            seen = user.get("seen_at") or obs["seen_at"]
            old = rows.get((asset_id, key))
            if old is None:
                rows[(asset_id, key)] = {"asset_id": asset_id, "login_key": key, "login": user["login"],
                                         "kind": user["kind"], "source": source, "first_seen": seen, "last_seen": seen,
                                         "last_day": seen.date(), "seen_count": 1, "days_seen": 0}
            else:
                old["first_seen"] = min(old["first_seen"], seen)
                if seen >= old["last_seen"]:
                    old.update(login=user["login"], kind=user["kind"], last_seen=seen, last_day=seen.date())
            day = days.setdefault((asset_id, key, seen.date()), {"asset_id": asset_id, "login_key": key,
                                                                 "day": seen.date(), "last_seen": seen})
            day["last_seen"] = max(day["last_seen"], seen)
    if not rows:
        return set()
    _record_days(days, rows)
    table = AssetUser.__table__
    ins = bulk.insert(table)
    db.session.execute(ins.on_conflict_do_update(index_elements=["asset_id", "login_key"], set_={
        "days_seen": table.c.days_seen + ins.excluded.days_seen,  # the days this batch added
        "seen_count": table.c.seen_count + 1,
        "last_day": bulk.greatest(table.c.last_day, ins.excluded.last_day),
        "first_seen": bulk.least(table.c.first_seen, ins.excluded.first_seen),
        "last_seen": bulk.greatest(table.c.last_seen, ins.excluded.last_seen),
        "login": ins.excluded.login, "kind": ins.excluded.kind, "source": ins.excluded.source,
    }), sorted(rows.values(), key=lambda r: (r["asset_id"], r["login_key"])))
    return {a for a, _ in rows}


def _record_days(days: dict[tuple, dict], rows: dict[tuple[int, str], dict]) -> None:
    """Insert the days not recorded yet (counted into rows' days_seen); move later sightings onto known days."""
    table = AssetUserDay.__table__
    values = [days[k] for k in sorted(days)]
    ins = bulk.insert(table)
    new = set()
    for part in bulk.chunks(values, 2000):
        new.update(tuple(r) for r in db.session.execute(ins.on_conflict_do_nothing().returning(
            table.c.asset_id, table.c.login_key, table.c.day), part))
    for asset_id, key, _ in new:
        rows[(asset_id, key)]["days_seen"] += 1
    known = [v for v in values if (v["asset_id"], v["login_key"], v["day"]) not in new]
    if known:
        db.session.execute(ins.on_conflict_do_update(
            index_elements=["asset_id", "login_key", "day"], set_={"last_seen": ins.excluded.last_seen},
            where=ins.excluded.last_seen > table.c.last_seen), known)


# Evaluating assets

@dataclass
class Use:
    """One employee's use of one asset, over all the logins that resolve to them."""

    days: int = 0
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    logins: list[str] = field(default_factory=list)

    def add(self, login: str, days: int, first: datetime, last: datetime) -> None:
        self.days = max(self.days, days)
        self.first_seen = min(self.first_seen or first, first)
        self.last_seen = max(self.last_seen or last, last)
        self.logins.append(login)

    def evidence(self) -> dict:
        return {"logins": sorted(self.logins), "days_seen": self.days, "first_seen": self.first_seen.isoformat(),
                "last_seen": self.last_seen.isoformat()}


def evaluate(asset_ids: set[int], ctx: Context) -> None:
    """Suggestions and mismatch alerts for these assets, from what is recorded now."""
    if not asset_ids:
        return
    suggest_days = int(current_app.config.get("USAGE_SUGGEST_DAYS", 3))
    mismatch_days = int(current_app.config.get("USAGE_MISMATCH_DAYS", 3))
    ids = sorted(asset_ids)
    seen = [r for part in bulk.chunks(ids) for r in db.session.execute(
        select(AssetUser.asset_id, AssetUser.login_key, AssetUser.login, AssetUser.days_seen, AssetUser.first_seen,
               AssetUser.last_seen).where(AssetUser.asset_id.in_(part)))]
    employee_of = resolve({r.login_key for r in seen})
    uses: dict[int, dict[int, Use]] = {}
    for r in seen:
        if r.login_key in employee_of:
            uses.setdefault(r.asset_id, {}).setdefault(employee_of[r.login_key], Use()).add(
                r.login, r.days_seen, r.first_seen, r.last_seen)
    assets = {r.id: r for part in bulk.chunks(ids) for r in db.session.execute(
        select(Asset.id, Asset.asset_tag, Asset.status).where(Asset.id.in_(part)))}
    holders = {r.asset_id: r for part in bulk.chunks(ids) for r in db.session.execute(
        select(Assignment.asset_id, Assignment.employee_id, Assignment.checked_out_at)
        .where(Assignment.asset_id.in_(part), Assignment.checked_in_at.is_(None)))}
    employee_ids = {e for u in uses.values() for e in u} | {h.employee_id for h in holders.values()}
    people = {r.id: r for part in bulk.chunks(sorted(employee_ids)) for r in db.session.execute(
        select(Employee.id, Employee.name, Employee.status).where(Employee.id.in_(part)))}
    _suggest(assets, holders, uses, people, suggest_days, ctx)
    _mismatches(assets, holders, uses, _days_since_checkout(holders, employee_of), people, mismatch_days)
    _to_check(holders, uses, people, ctx)


def _days_since_checkout(holders, employee_of: dict[str, int]) -> dict[int, dict[int, set]]:
    """Asset -> employee -> the days they were seen on it after its current checkout."""
    days: dict[int, dict[int, set]] = {}
    for part in bulk.chunks(sorted(holders)):
        for r in db.session.execute(
                select(AssetUserDay.asset_id, AssetUserDay.login_key, AssetUserDay.day)
                .join(Assignment, (Assignment.asset_id == AssetUserDay.asset_id) & Assignment.checked_in_at.is_(None))
                .where(AssetUserDay.asset_id.in_(part), AssetUserDay.last_seen >= Assignment.checked_out_at)):
            if r.login_key in employee_of:
                days.setdefault(r.asset_id, {}).setdefault(employee_of[r.login_key], set()).add(r.day)
    return days


def _suggest(assets, holders, uses, people, threshold: int, ctx: Context) -> None:
    existing = {(s.asset_id, s.employee_id): s for part in bulk.chunks(sorted(assets)) for s in db.session.execute(
        select(AssignmentSuggestion).where(AssignmentSuggestion.asset_id.in_(part))).scalars()}
    auto = bool(current_app.config.get("USAGE_AUTO_ASSIGN"))
    now = utcnow()
    for asset_id, asset in sorted(assets.items()):
        for (a, _), s in existing.items():
            if a == asset_id and s.status == "open" and (asset_id in holders or asset.status != "in_stock"):
                s.status, s.resolved_at, s.resolved_by = "superseded", now, ctx.actor
        if asset_id in holders or asset.status != "in_stock":
            continue
        frequent = [(e, u) for e, u in uses.get(asset_id, {}).items()
                    if u.days >= threshold and people[e].status != "left"]
        if len(frequent) != 1:
            continue  # nobody, or several people: not for discovery to decide
        employee_id, use = frequent[0]
        s = existing.get((asset_id, employee_id))
        if s is not None and s.status != "open":
            continue  # rejected pairs stay silent; accepted ones were acted on
        if s is None:
            s = AssignmentSuggestion(asset_id=asset_id, employee_id=employee_id, status="open", created_at=now)
            db.session.add(s)
        s.evidence = use.evidence()
        db.session.flush()
        if auto:
            suggestions.accept(s, ctx, f"Assigned automatically: seen using it on {use.days} days.")
        else:
            record(ctx, "asset", asset_id, "suggest_assignment", None,
                   {"suggestion_id": s.id, "employee_id": employee_id, "employee_name": people[employee_id].name,
                    **s.evidence})


def _mismatches(assets, holders, uses, since_checkout, people, threshold: int) -> None:
    """Held by X, used by Y on `threshold` days since the checkout and never by X since: an alert on both."""
    now = utcnow()
    found: dict[int, dict] = {}
    for asset_id, holder in holders.items():
        used, since = uses.get(asset_id, {}), since_checkout.get(asset_id, {})
        if holder.employee_id in since:
            continue  # the holder uses it too
        others = [(len(d), e) for e, d in since.items() if len(d) >= threshold]
        if not others:
            continue
        days, other = max(others)
        held_by, used_by = people[holder.employee_id].name, people[other].name
        found[asset_id] = {
            "kind": MISMATCH, "asset_id": asset_id, "employee_id": holder.employee_id, "related_employee_id": other,
            "message": f"{assets[asset_id].asset_tag} is checked out to {held_by} but only {used_by} was seen "
                       f"using it ({days} days since the checkout).",
            "details": {"holder_id": holder.employee_id, "used_by_id": other,
                        **(used[other].evidence() if other in used else {}), "days_since_checkout": days},
            "first_seen": now, "last_seen": now}
    table = Alert.__table__
    db.session.execute(update(table).where(
        table.c.kind == MISMATCH, table.c.closed_at.is_(None), table.c.asset_id.in_(sorted(assets)),
        ~table.c.asset_id.in_(sorted(found)) if found else True).values(closed_at=now))
    for row in found.values():  # a changed holder or user closes the old alert and opens a new one
        db.session.execute(update(table).where(
            table.c.kind == MISMATCH, table.c.closed_at.is_(None), table.c.asset_id == row["asset_id"],
            (table.c.employee_id != row["employee_id"]) | (table.c.related_employee_id != row["related_employee_id"])
        ).values(closed_at=now))
    if found:
        ins = bulk.insert(table)
        db.session.execute(ins.on_conflict_do_update(
            index_elements=["kind", "asset_id", "employee_id"], index_where=table.c.closed_at.is_(None),
            set_={"last_seen": ins.excluded.last_seen, "message": ins.excluded.message,
                  "details": ins.excluded.details}), [found[a] for a in sorted(found)])


def _to_check(holders, uses, people, ctx: Context) -> None:
    """A leaver with an open offboarding case seen using a device they do not hold: a line "to check" on the case."""
    users = sorted({e for u in uses.values() for e in u})
    cases = {c.employee_id: c for part in bulk.chunks(users) for c in db.session.execute(select(OffboardingCase).where(
        OffboardingCase.employee_id.in_(part), OffboardingCase.state == "open")).scalars()}
    wanted = [(cases[e], asset_id, u) for asset_id, used in sorted(uses.items()) for e, u in sorted(used.items())
              if e in cases and u.last_seen >= cases[e].opened_at
              and (asset_id not in holders or holders[asset_id].employee_id != e)]
    if not wanted:
        return
    on_case = {tuple(r) for r in db.session.execute(select(OffboardingLine.case_id, OffboardingLine.asset_id).where(
        OffboardingLine.case_id.in_(sorted({c.id for c in cases.values()}))))}
    for open_case, asset_id, use in wanted:
        if (open_case.id, asset_id) in on_case:
            continue  # already a line (held, or to check, open or closed)
        on_case.add((open_case.id, asset_id))
        who, logins = people[open_case.employee_id].name, ", ".join(sorted(use.logins))
        offboarding.add_to_check_line(open_case, asset_id, f"Seen in use by {who} as {logins} on {use.days} "
                                      f"day(s), last {use.last_seen:%Y-%m-%d}, while offboarding; not checked out to "
                                      "them.", ctx)


# Reading

def asset_users(asset_id: int) -> list[dict]:
    """Identities seen on an asset, most recent first, with the employee each resolves to."""
    rows = db.session.execute(select(AssetUser).where(AssetUser.asset_id == asset_id)
                              .order_by(AssetUser.last_seen.desc(), AssetUser.id)).scalars().all()
    employee_of = resolve({r.login_key for r in rows})
    return [{"login": r.login, "login_key": r.login_key, "kind": r.kind, "source": r.source,
             "employee_id": employee_of.get(r.login_key), "first_seen": r.first_seen, "last_seen": r.last_seen,
             "seen_count": r.seen_count, "days_seen": r.days_seen} for r in rows]


def assets_used_by(employee: Employee) -> list[dict]:
    """Assets on which one of the employee's logins (or email) was seen, most recent first."""
    keys = login_keys_of(employee)
    local = sorted(k for k in keys if "@" not in k)
    where = or_(AssetUser.login_key.in_(sorted(keys)), *(AssetUser.login_key.startswith(f"{k}@", autoescape=True)
                                                          for k in local))
    rows = db.session.execute(select(AssetUser, Asset.asset_tag).join(Asset, Asset.id == AssetUser.asset_id)
                              .where(where).order_by(AssetUser.last_seen.desc(), AssetUser.id)).all()
    employee_of = resolve({r.AssetUser.login_key for r in rows})
    return [{"asset_id": u.asset_id, "asset_tag": tag, "login": u.login, "first_seen": u.first_seen,
             "last_seen": u.last_seen, "days_seen": u.days_seen}
            for u, tag in rows if employee_of.get(u.login_key) == employee.id]
