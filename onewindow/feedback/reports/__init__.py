"""The monthly 堵点难点卡点问题专项汇总 of a town: the data, an Excel workbook and a PDF (CJK font embedded)."""

from onewindow.feedback.reports.problem_data import ProblemSummary, load_problem_summary, summary_filename
from onewindow.feedback.reports.problem_pdf import build_summary_pdf
from onewindow.feedback.reports.problem_xlsx import build_summary_xlsx

__all__ = ["ProblemSummary", "build_summary_pdf", "build_summary_xlsx", "load_problem_summary", "summary_filename"]
