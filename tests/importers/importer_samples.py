"""Shared expectations of the importer tests (a module name no other test folder uses)."""

from __future__ import annotations

from typing import Optional

from vdp.contract import ImportedData

CHINESE_HEADER = ["专栏ID", "专栏名称", "课程ID", "课程名称", "视频链接"]


def record(
    zl_id: Optional[str], zl_name: Optional[str], kc_id: Optional[str], kc_name: Optional[str], url: str
) -> ImportedData:
    """An import record as the original builds it: each field and its legacy twin hold the same value."""
    return ImportedData(
        zl_id=zl_id, id=zl_id, zl_name=zl_name, name=zl_name, kc_id=kc_id, course_id=kc_id,
        kc_name=kc_name, course_name=kc_name, record_url=url, url=url,
    )
