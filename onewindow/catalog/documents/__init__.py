"""Documents generated from a town's published catalog: the 一窗受理事项目录 (PDF, Excel), the
标准化受理材料指导手册 (PDF) and the 二维码便民服务墙 (PDF). Every PDF embeds the CJK font."""

from onewindow.catalog.documents.catalog_pdf import TITLE as CATALOG_TITLE
from onewindow.catalog.documents.catalog_pdf import build_catalog_pdf
from onewindow.catalog.documents.catalog_xlsx import build_catalog_xlsx
from onewindow.catalog.documents.data import TownCatalog, load_town_catalog
from onewindow.catalog.documents.handbook_pdf import TITLE as HANDBOOK_TITLE
from onewindow.catalog.documents.handbook_pdf import build_handbook_pdf
from onewindow.catalog.documents.qrwall_pdf import TITLE as QRWALL_TITLE
from onewindow.catalog.documents.qrwall_pdf import build_qrwall_pdf
from onewindow.catalog.safe_output import safe_filename

# File name (stable, used by the download links and the command) → Chinese title of the document.
DOCUMENTS = {
    "catalog.pdf": CATALOG_TITLE,
    "catalog.xlsx": CATALOG_TITLE,
    "handbook.pdf": HANDBOOK_TITLE,
    "qr-wall.pdf": QRWALL_TITLE,
}


def document_filename(catalog: TownCatalog, name: str, *, paper: str = "a4") -> str:
    """The Chinese file name a download is saved under, e.g. 嘉祥街道为民服务中心一窗受理事项目录.pdf."""
    stem, _, extension = name.rpartition(".")
    title = DOCUMENTS[name] + ("（A3）" if stem == "qr-wall" and paper == "a3" else "")
    return safe_filename(f"{catalog.center_name}{title}", f".{extension}")


__all__ = [
    "DOCUMENTS",
    "TownCatalog",
    "build_catalog_pdf",
    "build_catalog_xlsx",
    "build_handbook_pdf",
    "build_qrwall_pdf",
    "document_filename",
    "load_town_catalog",
]
