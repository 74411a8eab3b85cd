"""A small demo register: a few departments, places, people, models and assets of every kind."""

from datetime import date, timedelta

from sqlalchemy import select

from ..extensions import db
from ..models import Asset
from . import assets, assignment, catalogue, kits, organisation
from .context import Context

PEOPLE = [
    ("E1001", "Ada Lovelace", "ada@example.com", "Engineering", "Engineer"),
    ("E1002", "Grace Hopper", "grace@example.com", "Engineering", "Engineering Manager"),
    ("E1003", "Alan Turing", "alan@example.com", "Research", "Researcher"),
    ("E1004", "Katherine Johnson", "katherine@example.com", "Finance", "Analyst"),
    ("E1005", "Linus Pauling", "linus@example.com", "People", "HR Partner"),
]
MODELS = [
    ("Dell Inc.", "Latitude 7440", "computer", {"memory_gb": 16}),
    ("Apple", "MacBook Pro 14", "computer", {"memory_gb": 32}),
    ("Apple", "iPhone 15", "phone", {}),
    ("Samsung", "Galaxy Tab S9", "mobile_device", {}),
    ("Cisco", "Catalyst 9200-24P", "network_device", {}),
    ("Dell Inc.", "U2723QE Monitor", "peripheral", {}),
]
# Finance: (months, salvage value in cents) of straight-line depreciation, per model above.
DEPRECIATION = [(36, 10000), (36, 20000), (24, 0), (24, 0), (60, 0), (48, 0)]
KITS = [
    # name, job title, lines: (kind, model index or None, minimum specs, free requirement)
    ("Engineer", "Engineer", [("computer", None, {"memory_gb": 16}, "at least 16 GB"), ("phone", None, {}, None),
                              ("peripheral", 5, {}, "monitor")]),
    ("Analyst", "Analyst", [("computer", None, {}, None), ("phone", None, {}, None)]),
]
ASSETS = [
    # model index, serial, hostname, imei, mac, holder index or None
    (0, "5CG1001ABC", "lt-ada", None, "00:14:22:01:00:01", 0),
    (0, "5CG1002ABC", "lt-grace", None, "00:14:22:01:00:02", 1),
    (1, "C02XK1ABCDEF", "mb-alan", None, "3c:22:fb:00:00:03", 2),
    (1, "C02XK2ABCDEF", None, None, None, None),
    (2, "F17Z1ABCD", None, "356938035643809", None, 0),
    (2, "F17Z2ABCD", None, "490154203237518", None, None),
    (3, "R52W1ABCD", None, "352099001761481", None, 3),
    (4, "FOC2301X0AB", "sw-hq-1", None, "00:1b:21:00:00:10", None),
    (5, "CN0MON0001", None, None, None, 0),
]


def seed(ctx: Context, only_if_empty: bool = True) -> bool:
    if only_if_empty and db.session.execute(select(Asset.id).limit(1)).first():
        return False
    depts = {}
    for name in sorted({p[3] for p in PEOPLE}):
        depts[name] = organisation.save_department({"name": name, "cost_center": f"CC-{len(depts) + 100}"}, ctx)
    site = organisation.save_location({"name": "Headquarters", "kind": "site", "address": "1 Main Street"}, ctx)
    building = organisation.save_location({"name": "Building A", "kind": "building", "parent_id": site.id}, ctx)
    store = organisation.save_location({"name": "IT store room", "kind": "room", "parent_id": building.id}, ctx)
    people = [
        organisation.save_employee({"employee_number": num, "name": name, "email": email,
                                    "department_id": depts[dept].id, "job_title": title, "location_id": site.id,
                                    "start_date": date.today() - timedelta(days=400 + 30 * i)}, ctx)
        for i, (num, name, email, dept, title) in enumerate(PEOPLE)
    ]
    models = [catalogue.model_by_name(man, name, kind, ctx) for man, name, kind, _ in MODELS]
    for model, (_, _, _, specs) in zip(models, MODELS, strict=True):
        model.specs = specs
    for model, (months, salvage) in zip(models, DEPRECIATION, strict=True):
        model.depreciation_months, model.salvage_value_cents = months, salvage
    db.session.flush()
    for name, title, lines in KITS:
        kits.save_kit({"name": name, "job_title": title, "department_id": depts["Engineering"].id
                       if title.startswith("Engineer") else None,
                       "lines": [{"kind": kind, "model_id": models[m].id if m is not None else None,
                                  "min_specs": specs, "requirement": req} for kind, m, specs, req in lines]}, ctx)
    for i, (m, serial, host, imei, mac, holder) in enumerate(ASSETS):
        asset = assets.create_asset({
            "kind": models[m].kind, "model_id": models[m].id, "serial_number": serial, "hostname": host,
            "imei": imei, "location_id": store.id, "purchase_date": date.today() - timedelta(days=90 * (i + 1)),
            "purchase_cost_cents": 45000 + 10000 * i, "currency": "EUR", "supplier": "Demo Supplies Ltd",
            "warranty_end": date.today() + timedelta(days=365 * 3 - 90 * (i + 1)),
            "interfaces": [{"mac": mac, "name": "eth0", "ip_addresses": []}] if mac else [],
        }, ctx)
        if holder is not None:
            assignment.check_out(asset.id, people[holder].id, ctx, note="Demo checkout")
    return True
