"""Resolving a guide's back-office route in one town.

A route names departments by code so one county-wide guide serves every town: the town's own
department with that code is taken first (镇直部门 or 进驻部门), else the county department.
"""

from django.db.models import Q

from onewindow.org.models import Department


def resolve_codes(codes, town) -> dict[str, Department | None]:
    """code → the department that handles it in `town` (None when the town lacks it)."""
    codes = list(dict.fromkeys(codes))
    found: dict[str, Department | None] = dict.fromkeys(codes)
    candidates = Department.objects.filter(Q(town__isnull=True) | Q(town=town), code__in=codes, is_active=True)
    for department in candidates:
        if found[department.code] is None or department.town_id is not None:
            found[department.code] = department
    return found


def route_codes(guide_or_spec) -> list[str]:
    stages = guide_or_spec.stages
    stages = stages.all() if hasattr(stages, "all") else stages
    return [code for stage in stages for code in stage.department_codes]


def missing_departments(guide_or_spec, town) -> list[str]:
    """Codes on the route that `town` cannot resolve."""
    return [code for code, department in resolve_codes(route_codes(guide_or_spec), town).items() if department is None]


def resolve_route(guide, town) -> list[tuple[object, list[Department]]]:
    """[(stage, [departments])] for a case in `town`; raises LookupError naming what is missing."""
    stages = list(guide.stages.all())
    found = resolve_codes([c for s in stages for c in s.department_codes], town)
    missing = [code for code, department in found.items() if department is None]
    if missing:
        raise LookupError(f"{town.name}缺少审批部门：{'、'.join(missing)}")
    return [(stage, [found[c] for c in stage.department_codes]) for stage in stages]
