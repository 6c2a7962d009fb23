"""docs/benchmarks.md: each benchmark owns one `## ` section and replaces only that one; others are kept."""

from __future__ import annotations

import platform
import re
import time
from pathlib import Path

import psutil

DOC = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"
_TITLE = "# Benchmarks\n\nMeasured on loopback with `make bench` (or one section with the command shown in it).\n"
ORDER = ["HTTP", "HTTP profile", "HLS", "Runtime load", "Event bridge", "Long load", "Import", "Task intake",
         "UI (10,000-task list)"]


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    memory = psutil.virtual_memory().total / 2**30
    return (f"{time.strftime('%Y-%m-%d %H:%M %Z')}; {psutil.cpu_count()} cores ({cpu}), {memory:.0f} GiB RAM, "
            f"Linux {platform.release()}, Python {platform.python_version()}")


def write_section(title: str, body: str) -> None:
    """Replace (or add) the section `## {title}` in docs/benchmarks.md."""
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else _TITLE
    sections = _split(text)
    sections[title] = body.strip() + "\n"
    head = text.split("\n## ", 1)[0].rstrip() + "\n"
    known = [t for t in ORDER if t in sections] + [t for t in sections if t not in ORDER]
    DOC.write_text(head + "".join(f"\n## {t}\n\n{sections[t]}" for t in known), encoding="utf-8")


def write_subsection(title: str, subtitle: str, body: str) -> None:
    """Replace (or add, at the end of the section) `### {subtitle}` inside `## {title}`; the rest of the section,
    written by hand, is kept."""
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else _TITLE
    section = _split(text).get(title, "")
    heading = f"### {subtitle}\n"
    if heading in section:
        head, _, rest = section.partition(heading)
        tail = rest[rest.index("\n### "):] if "\n### " in rest else ""  # the next subsection on
    else:
        head, tail = section.rstrip() + "\n\n", ""
    write_section(title, f"{head}{heading}\n{body.strip()}\n{tail}")


def _split(text: str) -> dict[str, str]:
    sections: dict[str, str] = {}
    for chunk in re.split(r"^## ", text, flags=re.M)[1:]:
        title, _, body = chunk.partition("\n")
        sections[title.strip()] = body.strip() + "\n"
    return sections
