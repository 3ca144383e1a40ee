"""What an import reports: every error located by sheet, row and column, or what was (or would be) changed."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class CellError:
    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""  # the letter the user sees, e.g. "H"
    label: str = ""  # the column's name, e.g. "承诺办结时限"

    @property
    def location(self) -> str:
        where = f"“{self.sheet}”表" if self.sheet else ""
        if self.row:
            where += f"第{self.row}行"
        if self.column:
            where += f" {self.column}列（{self.label}）"
        return where

    def __str__(self) -> str:
        return f"{self.location}：{self.message}" if self.location else self.message


@dataclass
class ImportReport:
    errors: list[CellError] = field(default_factory=list)
    error_count: int = 0  # all errors found; `errors` may hold only the first MAX_ERRORS
    dry_run: bool = False
    items_created: int = 0
    items_updated: int = 0
    items_unchanged: int = 0
    entries_adopted: int = 0
    entries_updated: int = 0
    entries_unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.error_count and not self.errors

    @property
    def counts(self) -> dict[str, int]:
        return {
            "items_created": self.items_created,
            "items_updated": self.items_updated,
            "items_unchanged": self.items_unchanged,
            "entries_adopted": self.entries_adopted,
            "entries_updated": self.entries_updated,
            "entries_unchanged": self.entries_unchanged,
        }

    @property
    def summary(self) -> str:
        if not self.ok:
            count = max(self.error_count, len(self.errors))
            return f"导入失败：发现{count}处错误，没有导入任何内容。请按提示修改后重新导入。"
        verb = "检查通过（未导入），导入后将" if self.dry_run else "导入成功："
        return (
            f"{verb}新增事项{self.items_created}项，更新事项{self.items_updated}项（发布新版本），"
            f"未变化{self.items_unchanged}项；镇街目录新纳入{self.entries_adopted}条，"
            f"修改{self.entries_updated}条，未变化{self.entries_unchanged}条。"
        )

    @property
    def hidden_errors(self) -> int:
        return max(self.error_count - len(self.errors), 0)
