"""From the rows of an uploaded workbook to an import plan: every row checked, every error located.

Each 事项 row and its rows in the child sheets become one GuideSpec, validated by the one
`validate_spec`; its path keys (`materials[2].name`) are mapped back to the sheet, row and column
they came from. Scope (a center director: own town only), duplicate codes, towns, windows and the
departments a published route needs are checked here too. The plan is applied by
`onewindow.catalog.services.importing` only when it has no error at all.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field, fields, replace

from onewindow.catalog.excel import template as t
from onewindow.catalog.excel.reader import Row, Workbook
from onewindow.catalog.excel.report import CellError, ImportReport
from onewindow.catalog.item_codes import item_code_problem
from onewindow.catalog.models import CatalogEntry, GuideStatus, GuideVersion, ServiceItem
from onewindow.catalog.routing import missing_departments, route_codes
from onewindow.catalog.spec import (
    SCALAR_FIELDS,
    FaqSpec,
    GuideSpec,
    MaterialSpec,
    ProcedureSpec,
    StageSpec,
    spec_from_guide,
    town_route_errors,
    validate_spec,
)
from onewindow.org.models import BusinessCategory, Department, Region, Window

_PATH_RE = re.compile(r"^(\w+)\[(\d+)\](?:\.(\w+))?$")
_CHILD = {s.list_key: s for s in t.CHILD_SHEETS}
_SPEC_CLASSES = {"materials": MaterialSpec, "special_procedures": ProcedureSpec, "stages": StageSpec, "faq": FaqSpec}
CREATE, UPDATE, UNCHANGED, ADOPT = "create", "update", "unchanged", "adopt"


@dataclass
class ItemPlan:
    code: str
    owner_town: Region | None
    spec: GuideSpec
    action: str
    item: ServiceItem | None = None


@dataclass
class EntryPlan:
    town: Region
    code: str
    window: Window | None
    is_published: bool
    action: str
    unpublish_first: bool = False  # withdrawn before guides change, so a new route need not fit this town


@dataclass
class ImportPlan:
    items: list[ItemPlan] = field(default_factory=list)
    entries: list[EntryPlan] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)

    def report(self, *, dry_run: bool) -> ImportReport:
        errors = sort_errors(self.errors)
        report = ImportReport(errors=errors[: t.MAX_ERRORS], error_count=len(errors), dry_run=dry_run)
        if not errors:
            report.items_created = sum(p.action == CREATE for p in self.items)
            report.items_updated = sum(p.action == UPDATE for p in self.items)
            report.items_unchanged = sum(p.action == UNCHANGED for p in self.items)
            report.entries_adopted = sum(e.action == ADOPT for e in self.entries)
            report.entries_updated = sum(e.action == UPDATE for e in self.entries)
            report.entries_unchanged = sum(e.action == UNCHANGED for e in self.entries)
        return report


def sort_errors(errors: list[CellError]) -> list[CellError]:
    order = {s.title: i for i, s in enumerate(t.DATA_SHEETS, start=1)}
    unique = list(dict.fromkeys(errors))
    seen_cells, result = set(), []
    for error in unique:  # one message per cell: the first found (a reading error before a rule about it)
        cell = (error.sheet, error.row, error.column)
        if error.column and cell in seen_cells:
            continue
        seen_cells.add(cell)
        result.append(error)
    return sorted(result, key=lambda e: (order.get(e.sheet, 0), e.row or 0, len(e.column), e.column))


def canonical_spec(spec: GuideSpec) -> GuideSpec:
    """`spec` without files and as a trip through the spreadsheet gives it back: what is compared."""
    spec = spec.without_files()

    def through(obj, sheet):
        names = {f.name for f in fields(obj)}
        return replace(obj, **{c.key: t.canonical(c, getattr(obj, c.key)) for c in sheet.columns if c.key in names})

    spec = through(spec, t.ITEMS)
    return replace(spec, **{key: [through(o, sheet) for o in getattr(spec, key)] for key, sheet in _CHILD.items()})


def _spec(row: Row, children: dict[str, list[Row]]) -> GuideSpec:
    data = {key: row.values[key] for key in SCALAR_FIELDS if key in row.values}
    data["result_sample"] = ""
    for key, cls in _SPEC_CLASSES.items():
        names = [f.name for f in fields(cls)]
        data[key] = [cls(**{n: r.values[n] for n in names if n in r.values}) for r in children[key]]
    return GuideSpec(**data)


class _Lookups:
    """Everything the checks read, loaded once for the whole file."""

    def __init__(self, book: Workbook):
        codes = {r.values["code"] for s in book.sheets.values() for r in s.rows if r.values.get("code")}
        self.towns = {r.code: r for r in Region.objects.towns().filter(is_active=True)}
        self.items = {
            i.code: i
            for i in ServiceItem.objects.filter(code__in=codes)
            .select_related("owner_town", "current_guide__source_department", "current_guide__business_category")
            .prefetch_related("current_guide__materials", "current_guide__special_procedures", "current_guide__stages")
        }
        ids = [i.pk for i in self.items.values()]
        self.drafts = dict(
            GuideVersion.objects.filter(item_id__in=ids, status=GuideStatus.DRAFT).values_list("item_id", "version")
        )
        self.entries = {
            (e.town_id, e.item_id): e for e in CatalogEntry.objects.filter(item_id__in=ids).select_related("town")
        }
        self.windows = {(w.town_id, w.number): w for w in Window.objects.filter(center__kind="town_center")}
        departments = Department.objects.filter(is_active=True)
        self.spec_codes = {
            "known_department_codes": set(departments.values_list("code", flat=True)),
            "county_department_codes": set(departments.filter(kind="county").values_list("code", flat=True)),
            "category_codes": set(BusinessCategory.objects.values_list("code", flat=True)),
        }


class _Planner:
    def __init__(self, book: Workbook, *, scope_town: Region | None):
        self.book = book
        self.scope_town = scope_town  # None: the county admin (or SYSTEM), who may import everything
        self.errors: list[CellError] = list(book.errors)
        self.look = _Lookups(book)
        self.rows: dict[str, Row] = {}  # code → its 事项 row
        self.children: dict[str, dict[str, list[Row]]] = defaultdict(lambda: {k: [] for k in _CHILD})
        self.owners: dict[str, Region | None] = {}
        self.specs: dict[str, GuideSpec] = {}  # only the valid ones
        self.plans: dict[str, ItemPlan] = {}
        self._missing: dict[tuple, list[str]] = {}

    def missing(self, guide, town: Region) -> list[str]:
        """missing_departments, asked once per town and set of codes (routes repeat across items)."""
        codes = tuple(sorted(set(route_codes(guide))))
        if (town.pk, codes) not in self._missing:
            self._missing[(town.pk, codes)] = missing_departments(guide, town)
        return self._missing[(town.pk, codes)]

    def error(self, sheet: t.Sheet, row: Row | None, key: str | None, message: str) -> None:
        self.errors.append(self.book.sheets[sheet.title].error(row, key, message))

    # -- rows of the 事项 sheet and its child sheets --------------------------------------------------------

    def collect(self) -> None:
        for row in self.book.sheets[t.ITEMS.title].rows:
            code = row.values["code"]
            if not code:
                continue
            if code in self.rows:
                self.error(t.ITEMS, row, "code", f"实施编码“{code}”重复（与第{self.rows[code].number}行相同）")
                continue
            self.rows[code] = row
            if problem := item_code_problem(code):  # format and reserved words; "already taken" is the plan's
                self.error(t.ITEMS, row, "code", problem)
        for sheet in t.CHILD_SHEETS:
            positions: dict[tuple[str, int], Row] = {}
            for row in self.book.sheets[sheet.title].rows:
                code, position = row.values["code"], row.values["position"]
                if not code:
                    continue
                if code not in self.rows:
                    self.error(sheet, row, "code", f"“事项”表中没有实施编码为“{code}”的事项")
                    continue
                if isinstance(position, int):
                    if position < 1:
                        self.error(sheet, row, "position", "序号应为从1开始的整数")
                    elif (code, position) in positions:
                        first = positions[(code, position)].number
                        self.error(sheet, row, "position", f"事项“{code}”的序号{position}重复（与第{first}行相同）")
                    positions.setdefault((code, position), row)
                self.children[code][sheet.list_key].append(row)
        for rows in self.children.values():
            for key in rows:
                rows[key].sort(key=lambda r: r.values["position"] if isinstance(r.values["position"], int) else 0)

    def locate(self, code: str, path: str) -> tuple[t.Sheet, Row, str | None]:
        rows = self.children[code]
        if match := _PATH_RE.match(path):
            key, index, name = match.group(1), int(match.group(2)), match.group(3)
            sheet = _CHILD[key]
            return sheet, rows[key][index], name if name and sheet.has(name) else None
        if path in _CHILD:
            if rows[path]:
                return _CHILD[path], rows[path][0], None
            return t.ITEMS, self.rows[code], None
        return t.ITEMS, self.rows[code], path if t.ITEMS.has(path) else None

    def items(self) -> None:
        for code, row in self.rows.items():
            spec = _spec(row, self.children[code])
            problems = validate_spec(spec, **self.look.spec_codes)
            owner_code = row.values["owner_town"]
            owner = self.look.towns.get(owner_code) if owner_code else None
            if owner is not None:  # a town's own item: its route must resolve in that town
                for path, message in town_route_errors(spec, owner, self.missing(spec, owner)).items():
                    problems.setdefault(path, message)
            for path, message in problems.items():
                self.error(*self.locate(code, path), message)
            if owner_code and owner is None:
                self.error(t.ITEMS, row, "owner_town", f"区划代码“{owner_code}”不是本县在用的镇街")
                continue
            self.owners[code] = owner
            plan = self._plan_item(code, row, owner, spec)
            if plan is not None and not problems:
                self.specs[code] = spec
                self.plans[code] = plan

    def _plan_item(self, code: str, row: Row, owner: Region | None, spec: GuideSpec) -> ItemPlan | None:
        item = self.look.items.get(code)
        town = self.scope_town
        if town is not None and owner is not None and owner != town:
            self.error(t.ITEMS, row, "owner_town", f"您只能导入本镇街（{town.name}）的事项，不能导入{owner.name}的事项")
            return None
        if item is None:
            if town is not None and owner is None:
                self.error(
                    t.ITEMS,
                    row,
                    "owner_town",
                    f"全县通用事项只能由县行政审批服务局管理员新增；本镇街特色事项请填写{town.code}（{town.name}）",
                )
                return None
            return ItemPlan(code, owner, spec, CREATE)
        if item.owner_town_id != (owner.pk if owner else None):
            registered = item.owner_town.name + "特色事项" if item.owner_town_id else "全县通用事项"
            self.error(t.ITEMS, row, "owner_town", f"实施编码“{code}”已登记为{registered}，导入不能改变所属镇街")
            return None
        if item.current_guide is None:
            if item.pk in self.look.drafts:
                message = f"该事项尚未发布（有第{self.look.drafts[item.pk]}版草稿），请先在事项管理中发布后再导入"
            else:
                message = "该事项已废止，导入不能恢复；如需恢复请在事项管理中操作"
            self.error(t.ITEMS, row, "code", message)
            return None
        if canonical_spec(spec_from_guide(item.current_guide)) == spec:
            return ItemPlan(code, owner, spec, UNCHANGED, item)
        if town is not None and owner is None:
            self.error(
                t.ITEMS,
                row,
                "code",
                "全县通用事项的办事指南只能由县行政审批服务局管理员修改，本行与现行指南不同"
                "（如只需调整本镇街目录，请重新导出后只修改“镇街目录”表）",
            )
            return None
        if item.pk in self.look.drafts:
            version = self.look.drafts[item.pk]
            self.error(t.ITEMS, row, "code", f"该事项有尚未发布的第{version}版指南草稿，请先发布或删除该草稿后再导入")
            return None
        return ItemPlan(code, owner, _with_files(spec, item.current_guide), UPDATE, item)

    # -- the 镇街目录 sheet ------------------------------------------------------------------------------------

    def catalog(self) -> list[EntryPlan]:
        sheet, entries, seen = t.CATALOG, [], {}
        for row in self.book.sheets[sheet.title].rows:
            town_code, code = row.values["town"], row.values["code"]
            if not town_code or not code:
                continue
            town = self.look.towns.get(town_code)
            if town is None:
                self.error(sheet, row, "town", f"区划代码“{town_code}”不是本县在用的镇街")
                continue
            if self.scope_town is not None and town != self.scope_town:
                self.error(
                    sheet, row, "town", f"您只能导入本镇街（{self.scope_town.name}）的目录，不能导入{town.name}的目录"
                )
                continue
            if (town.pk, code) in seen:
                self.error(sheet, row, "code", f"{town.name}的事项“{code}”重复（与第{seen[(town.pk, code)]}行相同）")
                continue
            seen[(town.pk, code)] = row.number
            plan = self._plan_entry(row, town, code)
            if plan is not None:
                entries.append(plan)
        return entries

    def _plan_entry(self, row: Row, town: Region, code: str) -> EntryPlan | None:
        sheet = t.CATALOG
        item = self.look.items.get(code)
        in_file = code in self.rows
        owner = self.owners.get(code) if in_file else (item.owner_town if item else None)
        if (not in_file and item is None) or (owner is not None and owner != town):
            self.error(sheet, row, "code", f"没有实施编码为“{code}”的全县通用事项或{town.name}特色事项")
            return None
        number, window = row.values["window"], None
        if isinstance(number, int):
            window = self.look.windows.get((town.pk, number))
            if window is None:
                self.error(sheet, row, "window", f"{town.name}为民服务中心没有{number}号窗口")
                return None
        elif number not in (None, ""):
            return None  # unreadable, already reported
        publish = bool(row.values["is_published"])
        if publish and not self._publishable(row, town, code, item, in_file):
            return None
        existing = self.look.entries.get((town.pk, item.pk)) if item else None
        if existing is not None:
            current = (existing.window_id, existing.is_published)
        elif in_file and item is None and owner == town:
            current = (None, False)  # item_create puts a town's own item in its catalog, unpublished
        else:
            return EntryPlan(town, code, window, publish, ADOPT)
        wanted = (window.pk if window else None, publish)
        action = UNCHANGED if wanted == current else UPDATE
        return EntryPlan(town, code, window, publish, action, unpublish_first=current[1] and not publish)

    def _publishable(self, row, town, code, item, in_file) -> bool:
        if in_file:
            guide = self.specs.get(code)
            if guide is None:
                return True  # the item's own rows are wrong: reported there
        elif item.current_guide is None:
            self.error(t.CATALOG, row, "is_published", f"事项“{item.name}”没有现行办事指南，不能公布")
            return False
        else:
            guide = item.current_guide
        if missing := self.missing(guide, town):
            self.error(
                t.CATALOG,
                row,
                "is_published",
                f"{town.name}没有该事项审批环节需要的部门：{'、'.join(missing)}，不能公布"
                f"（请先为{town.name}设置这些部门，或把“是否公布”改为“否”）",
            )
            return False
        return True

    def routes_in_published_towns(self, entries: list[EntryPlan]) -> None:
        """A changed route must still resolve in every town that keeps the item published."""
        in_file = {(e.town.pk, e.code) for e in entries}
        for code, plan in self.plans.items():
            if plan.action != UPDATE:
                continue
            for (town_id, item_id), entry in self.look.entries.items():
                if item_id != plan.item.pk or not entry.is_published or (town_id, code) in in_file:
                    continue
                missing = set(self.missing(plan.spec, entry.town))
                for row in self.children[code]["stages"]:
                    if lacking := [c for c in row.values["department_codes"] if c in missing]:
                        self.error(
                            t.STAGES,
                            row,
                            "department_codes",
                            f"该事项已在{entry.town.name}公布，但{entry.town.name}没有部门：{'、'.join(lacking)}"
                            f"（请先设置这些部门，或在“镇街目录”表中取消{entry.town.name}的公布）",
                        )


def _with_files(spec: GuideSpec, guide: GuideVersion) -> GuideSpec:
    """Sample and blank forms are not in the spreadsheet: keep the current ones, matched by material name."""
    files = {m.name.strip(): m for m in guide.materials.all()}
    materials = [
        replace(m, sample_file=files[m.name].sample_file.name or "", blank_file=files[m.name].blank_file.name or "")
        if m.name in files
        else m
        for m in spec.materials
    ]
    return replace(spec, materials=materials, result_sample=guide.result_sample.name or "")


def plan_import(book: Workbook, *, scope_town: Region | None) -> ImportPlan:
    """Checks every row of `book`; the plan has errors, or the complete list of changes to make."""
    planner = _Planner(book, scope_town=scope_town)
    planner.collect()
    planner.items()
    entries = planner.catalog()
    planner.routes_in_published_towns(entries)
    return ImportPlan(items=list(planner.plans.values()), entries=entries, errors=planner.errors)
