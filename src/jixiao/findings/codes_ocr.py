"""Codes of reading scanned pages by OCR (issue 7, readers/ocr.py).

A scanned PDF without the OCR extra is ``file-scanned`` (codes_read); a page the OCR engine
fails on is ``file-part-unreadable`` (codes_read).
"""

from jixiao.findings.catalog import FindingType
from jixiao.findings.finding import Severity

W, INFO = Severity.WARNING, Severity.INFO

CODES: tuple[FindingType, ...] = (
    FindingType(
        "ocr-used",
        INFO,
        "文字由 OCR 识别",
        "{file}：第 {pages} 页没有文字层（扫描件），文字由 OCR 识别（共 {count} 页，平均置信度 {mean}）；"
        "表格按可见的表格线重建，数字请对照原件核对",
        tags=("read", "ocr"),
    ),
    FindingType(
        "ocr-low-confidence",
        W,
        "OCR 识别置信度低",
        "{file} 第 {page} 页{place}：OCR 识别为“{text}”，置信度 {confidence}，低于 {threshold}，请对照原件核对",
        tags=("read", "ocr"),
    ),
    FindingType(
        "ocr-number-malformed",
        W,
        "OCR 读出的数字分组不合规",
        "{file} 第 {page} 页{place}：OCR 读出的数字“{number}”千分位分组不合规，可能识别有误，请对照原件核对（全文：{text}）",
        tags=("read", "ocr"),
    ),
    FindingType(
        "ocr-no-text",
        W,
        "OCR 未识别出文字",
        "{file} 第 {page} 页：页面有内容，但 OCR 未识别出文字（图像可能过于模糊或分辨率过低），请对照原件核对",
        tags=("read", "ocr"),
    ),
)
