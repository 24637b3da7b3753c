"""The database commands: db upgrade, user add, org add, import — on the database named by
JIXIAO_DATABASE_URL (SQLite and PostgreSQL)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid

import pytest
from sqlalchemy import func
from sqlalchemy import select
from typer.testing import CliRunner

from jixiao.cli import app
from jixiao.services import auth
from jixiao.services.context import Ctx
from jixiao.services.errors import Unauthenticated
from jixiao.store import migrate
from jixiao.store import schema as db
from jixiao.store.db import Database
from tests.conftest import seed
from tests.databases import BACKENDS
from tests.databases import create_pg_database
from tests.databases import drop_pg_database

runner = CliRunner()


def _invoke(database, args, **kwargs):
    env = {"JIXIAO_DATABASE_URL": database.url, "CI": "1"}
    return runner.invoke(app, args, env=env, **kwargs)


def _count(database, table) -> int:
    with database.session(write=False) as s:
        return s.scalar(select(func.count()).select_from(table))


@pytest.fixture(params=BACKENDS)
def empty_database(request, tmp_path):
    """A database with no table at all."""
    if request.param == "sqlite":
        database = Database(f"sqlite:///{tmp_path / 'empty.db'}")
        yield database
        database.dispose()
        return
    name = f"jixiao_e_{uuid.uuid4().hex[:12]}"
    database = Database(create_pg_database(name))
    yield database
    database.dispose()
    drop_pg_database(name)


def _region(database) -> None:
    assert _invoke(database, ["org", "add", "湖南省财政厅", "--level", "region", "--code", "43"]).exit_code == 0
    result = _invoke(database, ["org", "add", "长沙市行政审批服务局", "--level", "department", "--parent", "43",
                                "--code", "152"])
    assert result.exit_code == 0, result.output
    assert result.stdout == "已新建部门 长沙市行政审批服务局（编号 2，编码 152）\n"


def test_db_upgrade_builds_an_empty_database_and_again_does_nothing(empty_database):
    assert migrate.current(empty_database) is None
    first = _invoke(empty_database, ["db", "upgrade"])
    assert first.exit_code == 0, first.output
    assert f"已升级：（空） → {migrate.head()}" in first.stdout
    assert migrate.current(empty_database) == migrate.head()
    assert _count(empty_database, db.User) == 0  # no default user, no default password
    again = _invoke(empty_database, ["db", "upgrade"])
    assert again.exit_code == 0 and f"已是当前版本：{migrate.head()}" in again.stdout


def test_db_upgrade_as_a_real_process_and_the_password_hidden(empty_database, tmp_path):
    env = {**os.environ, "JIXIAO_DATABASE_URL": empty_database.url, "CI": "1"}
    done = subprocess.run([sys.executable, "-m", "jixiao.cli", "db", "upgrade"], env=env, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("数据库：") and "已升级" in done.stdout
    assert migrate.current(empty_database) == migrate.head()
    # the URL printed never shows a password
    from jixiao.cli.db import shown_url

    with_password = Database("postgresql://jixiao:s3cret@127.0.0.1:5432/nowhere")
    assert "s3cret" not in shown_url(with_password) and "***" in shown_url(with_password)
    with_password.dispose()


def test_commands_refuse_a_database_not_yet_upgraded(empty_database):
    result = _invoke(empty_database, ["user", "add", "root", "--role", "admin", "--org", "43"])
    assert result.exit_code == 1 and "请先运行 jixiao db upgrade" in result.stderr
    assert migrate.current(empty_database) is None


def test_user_add_prints_a_generated_password_once(database):
    _region(database)
    result = _invoke(database, ["user", "add", "root", "--role", "admin", "--org", "43", "--display-name", "管理员"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "已新建用户 root（系统管理员，湖南省财政厅），编号 1"
    assert lines[1].startswith("密码：") and len(lines) == 2
    password = lines[1].removeprefix("密码：")
    assert len(password) >= 16 and "只显示这一次" in result.stderr
    login = auth.login(Ctx(database), "root", password)
    assert login["user"]["display_name"] == "管理员"
    with database.session(write=False) as s:
        assert password not in s.scalars(select(db.User.password_hash)).one()


def test_user_add_reads_the_password_from_stdin(database):
    _region(database)
    result = _invoke(database, ["user", "add", "bob", "--role", "unit_filer", "--org", "152", "--password-stdin"],
                     input="a password from stdin\n")
    assert result.exit_code == 0, result.output
    assert "密码" not in result.stdout
    assert auth.login(Ctx(database), "bob", "a password from stdin")["user"]["role"] == "unit_filer"
    with pytest.raises(Unauthenticated):
        auth.login(Ctx(database), "bob", "a password from stdin\n")
    listed = _invoke(database, ["user", "list"])
    assert listed.exit_code == 0 and listed.stdout == "bob\t单位填报\t152\t长沙市行政审批服务局\n"


@pytest.mark.parametrize(("args", "stdin", "message", "status"), [
    (["--role", "admin", "--org", "nope"], None, "单位不存在或无权查看：nope", 1),
    (["--role", "admin", "--org", "43", "--password-stdin"], "short\n", "密码至少 8 个字符", 1),
    (["--role", "admin", "--org", "43", "--password-stdin"], "", "标准输入没有读到密码", 1),
    (["--role", "root", "--org", "43"], None, "“root”不是可选的值", 2),
])
def test_user_add_refuses(database, args, stdin, message, status):
    _region(database)
    result = _invoke(database, ["user", "add", "x", *args], input=stdin)
    assert result.exit_code == status and message in result.stderr
    assert _count(database, db.User) == 0


def test_org_add_refuses_a_taken_code_and_an_unknown_parent(database):
    _region(database)
    taken = _invoke(database, ["org", "add", "别的局", "--level", "department", "--parent", "43", "--code", "152"])
    assert taken.exit_code == 1 and "单位编码 152 已被使用" in taken.stderr
    orphan = _invoke(database, ["org", "add", "某单位", "--level", "unit", "--parent", "999"])
    assert orphan.exit_code == 1 and "单位不存在或无权查看：999" in orphan.stderr
    listed = _invoke(database, ["org", "list"])
    assert listed.stdout.splitlines() == ["湖南省财政厅\t43\t地区（财政局）\t#1", "  长沙市行政审批服务局\t152\t部门\t#2"]


def test_import_a_folder_recursively_one_transaction_per_file(database, tmp_path):
    _region(database)
    folder = tmp_path / "收件"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(seed("000"), folder / "a.txt")
    shutil.copy(seed("001"), folder / "sub" / "b.txt")
    (folder / "sub" / "broken.docx").write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    (folder / "README.md").write_text("# 说明\n", encoding="utf-8")
    (folder / ".hidden.txt").write_text("x", encoding="utf-8")
    result = _invoke(database, ["import", str(folder), "--org", "152", "--year", "2026", "-j", "2"])
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    first = lines[0].split("\t")
    assert first[0] == "新建" and first[2] == "targets" and first[3] == "第 1 版" and first[5].endswith("a.txt")
    assert lines[1].split("\t")[2] == "budget_disclosure" and lines[1].endswith("b.txt")
    assert f"{folder / 'sub' / 'broken.docx'}：文件已损坏或不完整" in result.stderr
    assert "共 4 个文件：新建 2，已存在 0，失败 1，跳过 1；已忽略隐藏文件或锁文件 1 个" in result.stderr
    assert "未能导入的文件" in result.stderr
    assert _count(database, db.Document) == 2 and _count(database, db.SourceFile) == 2
    # again: nothing new, and the counts printed are the stored ones
    again = _invoke(database, ["import", str(folder / "a.txt"), "--org", "152", "--year", "2026"])
    assert again.exit_code == 0
    fields = again.stdout.rstrip("\n").split("\t")
    assert fields[:4] == ["已存在", first[1], "targets", "第 1 版"] and fields[4] == first[4]
    with database.session(write=False) as s:
        doc = s.get(db.Document, int(first[1].lstrip("#")))
        assert fields[4] == f"错误 {doc.n_error}，警告 {doc.n_warning}，提示 {doc.n_info}"
        assert doc.name == "a.txt" and doc.year == 2026
    assert _count(database, db.Document) == 2


def test_import_an_unknown_org_or_a_file_without_year(database, tmp_path):
    _region(database)
    unknown = _invoke(database, ["import", str(seed("000")), "--org", "nope"])
    assert unknown.exit_code == 1 and "单位不存在或无权查看：nope" in unknown.stderr
    undated = tmp_path / "无年度.txt"
    undated.write_text(seed("000").read_text(encoding="utf-8").replace("2026", ""), encoding="utf-8")
    result = _invoke(database, ["import", str(undated), "--org", "152"])
    assert result.exit_code == 1 and f"{undated}：文件未写明年度，请指定年度（--year）" in result.stderr
    assert _count(database, db.Document) == 0
    assert _invoke(database, ["import", str(undated), "--org", "152", "--year", "2026"]).exit_code == 0
    missing = _invoke(database, ["import", str(tmp_path / "不存在.txt"), "--org", "152", "--year", "2026"])
    assert missing.exit_code == 1 and "文件不存在" in missing.stderr


@pytest.mark.parametrize("args", [["db", "upgrade"], ["user", "add"], ["org", "add"], ["import"]])
def test_help_reads_in_chinese(args):
    result = runner.invoke(app, [*args, "--help"], prog_name="jixiao")
    assert result.exit_code == 0 and f"用法：jixiao {' '.join(args)} [选项]" in result.stdout
    for english in ("Usage:", "Options", "Arguments", "[default:", "Show this message", "TEXT", "PATH", "INTEGER"):
        assert english not in result.stdout, english
