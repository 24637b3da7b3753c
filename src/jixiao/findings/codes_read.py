"""Codes of reading files of every format (issue 7): what is wrong with a file as a file."""

from jixiao.findings.catalog import FindingType
from jixiao.findings.finding import Severity

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

CODES: tuple[FindingType, ...] = (
    FindingType("file-not-found", E, "文件不存在", "{file}：文件不存在", tags=("read",)),
    FindingType("file-format-unknown", E, "无法识别的文件格式", "{file}：无法识别的文件格式（{detail}）；支持 PDF、Word（.docx/.doc/.wps）、Excel（.xlsx/.xls/.et）、网页（.html/.mht）、CSV 和纯文本", tags=("read",)),
    FindingType("file-encrypted", E, "文件已加密", "{file}：文件已加密或设有打开密码（{detail}），请去除密码后重新导入", tags=("read",)),
    FindingType("file-scanned", E, "扫描件", "{file}：扫描件，需安装 OCR 组件（pip install jixiao[ocr]）；共 {pages} 页没有文字层", tags=("read",)),
    FindingType("file-corrupt", E, "文件已损坏", "{file}：文件已损坏或不完整（{reason}）", tags=("read",)),
    FindingType("file-zip-bomb", E, "压缩内容异常", "{file}：压缩内容解压后 {size}，压缩比 {ratio}，超过上限（{limit}），疑似压缩炸弹，已拒绝读取", tags=("read",)),
    FindingType("file-hostile-xml", E, "XML 含实体声明", "{file}：{member} 含有 DOCTYPE/ENTITY 声明，出于安全原因拒绝读取", tags=("read",)),
    FindingType("converter-missing", E, "缺少转换组件", "{file}：读取 {format} 需要 LibreOffice（soffice），本机未安装", tags=("read",)),
    FindingType("convert-failed", E, "格式转换失败", "{file}：LibreOffice 转换失败（{reason}）", tags=("read",)),
    FindingType("file-part-unreadable", W, "部分内容无法读取", "{file}：{part} 无法读取（{reason}），已跳过", tags=("read",)),
    FindingType("encoding-detected", INFO, "文件编码", "{file}：文本按 {encoding} 编码读取", tags=("read",)),
)
