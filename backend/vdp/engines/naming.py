"""File names: from Content-Disposition, the URL or the title; safe on Windows, macOS and Linux; unique; and
never outside the output folder."""

from __future__ import annotations

import os
import re
import unicodedata
from email.message import Message
from pathlib import Path
from typing import Optional
from urllib.parse import unquote, urlsplit

_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
_ILLEGAL = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
MAX_NAME_BYTES = 200  # below every common filesystem's 255, leaving room for " (12).part"


def sanitize_filename(name: str, fallback: str = "download") -> str:
    name = unicodedata.normalize("NFC", name)
    name = _ILLEGAL.sub("_", name).strip().strip(".").strip()
    name = re.sub(r"\s+", " ", name)
    if not name or set(name) <= {"_", "."}:
        name = fallback
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    if stem.split(".")[0].upper() in _WINDOWS_RESERVED:
        stem = f"_{stem}"
    ext = ext[:16]
    budget = MAX_NAME_BYTES - len(ext.encode()) - 1
    encoded = stem.encode()
    if len(encoded) > budget:
        stem = encoded[:budget].decode(errors="ignore").rstrip(" .")
    return f"{stem}.{ext}" if ext else stem


def filename_from_content_disposition(header: Optional[str]) -> Optional[str]:
    """RFC 6266 with RFC 5987/2231 `filename*` (any charset) preferred over `filename`."""
    if not header:
        return None
    msg = Message()
    msg["content-disposition"] = header
    try:
        name = msg.get_filename()
    except (ValueError, LookupError, TypeError):
        name = None
    if name is None:
        match = re.search(r"filename\s*=\s*\"?([^\";]+)\"?", header, re.I)
        name = match.group(1) if match else None
    if not name:
        return None
    # Only the last path component counts: a header must never choose a folder.
    return re.split(r"[\\/]", name)[-1] or None


def filename_from_url(url: str) -> Optional[str]:
    path = urlsplit(url).path
    last = unquote(path.rsplit("/", 1)[-1]) if path else ""
    return last or None


def choose_filename(*, content_disposition: Optional[str], url: str, title: Optional[str],
                    content_type: Optional[str] = None) -> str:
    from_header = filename_from_content_disposition(content_disposition)
    if from_header:
        return sanitize_filename(from_header)
    from_url = filename_from_url(url)
    if from_url and "." in from_url:
        return sanitize_filename(from_url)
    base = title or from_url or "download"
    ext = _extension_for(content_type)
    return sanitize_filename(f"{base}{ext}" if ext and not base.lower().endswith(ext) else base)


def _extension_for(content_type: Optional[str]) -> str:
    if not content_type:
        return ""
    import mimetypes

    return mimetypes.guess_extension(content_type.split(";")[0].strip()) or ""


def inside(folder: Path, name: str) -> Path:
    """`folder/name` for a single file name, refusing anything that could lead out of `folder`.

    Names are checked as text (no separators, no `.`/`..`), not by resolving the path: resolving costs a system
    call per path component, per file, and the partial file is created with O_EXCL, so it never follows a link."""
    if not name or name in (".", "..") or "/" in name or "\\" in name or "\x00" in name:
        raise ValueError(f"file name {name!r} leaves the output folder")
    return folder / name


def claim_unique(folder: Path, name: str, suffix: str = ".part") -> tuple[Path, Path]:
    """Pick `name`, or `name (1).ext`, ... so that neither the final file nor its partial file exists, and
    create the partial file exclusively so two tasks can never pick the same name."""
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    for n in range(0, 10_000):
        candidate = name if n == 0 else (f"{stem} ({n}).{ext}" if ext else f"{stem} ({n})")
        final = inside(folder, candidate)
        part = final.with_name(final.name + suffix)
        if final.exists():
            continue
        try:
            fd = os.open(part, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            continue
        os.close(fd)
        return final, part
    raise FileExistsError(f"no free name for {name} in {folder}")
