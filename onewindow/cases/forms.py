"""Parsing the staff pages' POST data into service arguments (no rules here: the services decide)."""

from __future__ import annotations

from datetime import date

from onewindow.cases.models import MaterialState
from onewindow.cases.services.intake import Applicant
from onewindow.core.errors import ValidationFailed


def text(data, name: str, limit: int = 500) -> str:
    return (data.get(name) or "").strip()[:limit]


def integer(data, name: str, label: str) -> int:
    try:
        return int(data.get(name, ""))
    except (TypeError, ValueError) as exc:
        raise ValidationFailed(fields={name: f"{label}应为整数"}) from exc


def day(data, name: str, label: str) -> date:
    try:
        return date.fromisoformat(data.get(name, ""))
    except (TypeError, ValueError) as exc:
        raise ValidationFailed(fields={name: f"请填写{label}（年-月-日）"}) from exc


def positions(data, name: str) -> list[int]:
    try:
        return sorted({int(v) for v in data.getlist(name)})
    except ValueError as exc:
        raise ValidationFailed(fields={name: "材料选择无效"}) from exc


def applicant(data) -> Applicant:
    return Applicant(
        kind=text(data, "applicant_kind", 12),
        name=text(data, "applicant_name", 100),
        id_number=text(data, "applicant_id_number", 30),
        phone=text(data, "contact_phone", 20),
        contact_name=text(data, "contact_name", 50),
        address=text(data, "address", 200),
    )


def material_marks(data, count: int) -> dict[int, str]:
    """`material_<position>` radio values → {position: state}."""
    marks = {}
    for position in range(1, count + 1):
        value = data.get(f"material_{position}")
        if value:
            if value not in MaterialState.values:
                raise ValidationFailed(fields={f"materials[{position}]": "材料收取情况无效"})
            marks[position] = value
    return marks


def material_problems(data, count: int) -> dict[int, str]:
    return {p: text(data, f"problem_{p}", 300) for p in range(1, count + 1) if text(data, f"problem_{p}", 300)}
