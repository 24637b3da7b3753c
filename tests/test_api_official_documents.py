"""Official documents through the API: ``GET …/export?format=`` answers the file (its media type, a
Chinese file name in Content-Disposition, bytes jixiao reads back), and refuses an unknown format or
a kind that does not apply with the one error shape (422, a Chinese message)."""

from __future__ import annotations

from urllib.parse import unquote

from jixiao.model.targets import TargetTable
from tests.write_helpers import read_back


def _file_name(response) -> str:
    disposition = response.headers["content-disposition"]
    return unquote(disposition.split("filename*=UTF-8''", 1)[1])


def test_downloads_read_back(world):
    doc = world.doc("A")
    headers = world.role("auditor")  # reading the document is enough
    response = world.client.get(f"/api/v1/documents/{doc}/target-table/export", params={"format": "docx"},
                                headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    name = _file_name(response)
    assert name.endswith("绩效目标表.docx") and name.startswith("2026")
    _raw, document, _found = read_back(response.content, name)
    sets = [s for t in document.tables if isinstance(t, TargetTable) for s in t.target_sets]
    stored = world.client.get(f"/api/v1/documents/{doc}", headers=headers).json()
    assert len(sets) == len(stored["target_set_refs"]) and all(s.indicators for s in sets)

    response = world.client.get(f"/api/v1/documents/{doc}/review-opinion/export", params={"format": "xlsx"},
                                headers=headers)
    assert response.status_code == 200 and _file_name(response).endswith("_审核意见书.xlsx")
    response = world.client.get("/api/v1/review-opinion/export", params={"documents": f"{doc},{doc}"},
                                headers=headers)  # the default format: docx; a repeated id counts once
    assert response.status_code == 200 and _file_name(response).endswith("_审核意见书.docx")


def test_refusals_have_the_error_shape(world):
    doc, headers = world.doc("A"), world.admin("A")
    response = world.client.get(f"/api/v1/documents/{doc}/target-table/export", params={"format": "odt"},
                                headers=headers)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_format" and "xlsx、docx、pdf" in error["message"]
    response = world.client.get(f"/api/v1/documents/{doc}/disclosure/export", headers=headers)
    assert response.status_code == 422 and response.json()["error"]["code"] == "not_applicable"
    assert "没有预算表" in response.json()["error"]["message"]
    response = world.client.get(f"/api/v1/documents/{doc}/self-evaluation/report/export", headers=headers)
    assert response.status_code == 422 and "尚未自评" in response.json()["error"]["message"]
    response = world.client.get(f"/api/v1/documents/{world.doc('B')}/review-opinion/export",
                                headers=world.role("finance_reviewer"))
    assert response.status_code == 404
