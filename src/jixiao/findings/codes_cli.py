"""Codes of the command line (issue 7): batches of files and folders, output paths, internal errors."""

from jixiao.findings.catalog import FindingType
from jixiao.findings.finding import Severity

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

CODES: tuple[FindingType, ...] = (
    FindingType("file-skipped", INFO, "不是文档，已跳过", "{file}：不是可读取的文档（{detail}），已跳过", tags=("cli",)),
    FindingType("folder-empty", E, "文件夹中没有文件", "{file}：文件夹中没有可读取的文件{detail}", tags=("cli", "read")),
    FindingType("internal-error", E, "内部错误", "{file}：内部错误，未能处理（{error}）；请报告此问题", tags=("cli", "read")),
    FindingType("output-is-folder", E, "输出位置是文件夹", "{file} 是一个文件夹；-o 请给出文件名，例如 {example}", tags=("cli",)),
    FindingType("output-folder-missing", E, "输出文件夹不存在", "{file}：输出文件夹 {folder} 不存在，请先建立该文件夹或换一个位置", tags=("cli",)),
    FindingType("output-unwritable", E, "输出无法写入", "{file}：无法写入（{reason}）", tags=("cli",)),
    FindingType("output-needs-folder", E, "多个输入需要输出文件夹", "{file}：输入有 {count} 个文件，-o 应为一个文件夹（不存在时自动建立）", tags=("cli",)),
)
