"""File names: from Content-Disposition, the URL or the title; safe on Windows, macOS and Linux; unique; and
never outside the output folder."""

from __future__ import annotations

import codecs
import os
import re
import unicodedata
from pathlib import Path
from typing import Iterator, Optional
from urllib.parse import quote, unquote, urlsplit

from .portable_io import BINARY

_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
_ILLEGAL = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
MAX_NAME_BYTES = 200  # below every common filesystem's 255, leaving room for " (12).part"


def sanitize_filename(name: str, fallback: str = "download") -> str:
    name = without_format_characters(unicodedata.normalize("NFC", name))
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


def without_format_characters(text: str) -> str:
    """`text` without the invisible characters that change how a name reads: bidi overrides and isolates
    (`invoice\u202egpj.exe` shows as `invoiceexe.jpg`), zero-width characters and every other format (Cf)
    character, and C1 control characters; line and paragraph separators become spaces."""
    if text.isascii():
        return text
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if category in ("Zl", "Zp"):
            kept.append(" ")
        elif category not in ("Cf", "Cc"):
            kept.append(char)
    return "".join(kept)


# One parameter of a header value: name, then a token or a quoted string (RFC 7230 §3.2.6).
_PARAMETER = re.compile(r';\s*([^\s=;]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)')


def filename_from_content_disposition(header: Optional[str]) -> Optional[str]:
    """RFC 6266: `filename*` (RFC 8187 `charset'lang'%XX`, any charset Python knows, RFC 2231 continuations
    included) wins over `filename`, which is only for clients that cannot read the first."""
    if not header:
        return None
    params: dict[str, str] = {}
    for name, value in _PARAMETER.findall(header):
        params.setdefault(name.lower(), value.strip())
    name = _extended_filename(params)
    if name is None and "filename" in params:
        name = _unquote(params["filename"])
    if not name:
        return None
    # Only the last path component counts: a header must never choose a folder.
    return re.split(r"[\\/]", name)[-1] or None


def _extended_filename(params: dict[str, str]) -> Optional[str]:
    if "filename*" in params:
        encoded = params["filename*"]
    else:
        pieces = []
        for n in range(0, 100):  # RFC 2231 continuations: filename*0*=..., filename*1*=...
            if f"filename*{n}*" in params:
                pieces.append(params[f"filename*{n}*"])
            elif f"filename*{n}" in params:
                pieces.append(quote(_unquote(params[f"filename*{n}"]), safe=""))  # a plain piece, kept as is
            else:
                break
        if not pieces:
            return None
        encoded = "".join(pieces)
    charset, quote_mark, rest = _unquote(encoded).partition("'")
    if not quote_mark:
        return None
    _language, _, text = rest.partition("'")
    try:
        codecs.lookup(charset or "utf-8")
        return unquote(text, encoding=charset or "utf-8", errors="strict")
    except (LookupError, UnicodeDecodeError):
        return None  # an unknown charset or broken bytes: `filename`, if any, is used instead


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return re.sub(r"\\(.)", r"\1", value[1:-1])
    return value


def filename_from_url(url: str) -> Optional[str]:
    path = urlsplit(url).path
    last = unquote(path.rsplit("/", 1)[-1]) if path else ""
    return last or None


def choose_filename(*, content_disposition: Optional[str], url: str, title: Optional[str],
                    content_type: Optional[str] = None, stem: Optional[str] = None) -> str:
    """`stem`: the name the task chose (the course layout's `NN 课程名称`); only the extension is taken from the
    server or the URL then."""
    if stem:
        return name_from_stem(stem, file_extension(content_disposition=content_disposition, url=url,
                                                   content_type=content_type))
    from_header = filename_from_content_disposition(content_disposition)
    if from_header:
        return sanitize_filename(from_header)
    from_url = filename_from_url(url)
    if from_url and "." in from_url:
        return sanitize_filename(from_url)
    base = title or from_url or "download"
    ext = _extension_for(content_type)
    return sanitize_filename(f"{base}{ext}" if ext and not base.lower().endswith(ext) else base)


def file_extension(*, url: str, content_disposition: Optional[str] = None, content_type: Optional[str] = None) -> str:
    """`.ext` of the name the server or the URL gives, else one for the content type, else ""."""
    for name in (filename_from_content_disposition(content_disposition), filename_from_url(url)):
        if name and "." in name.strip("."):
            return "." + name.rpartition(".")[2]
    return _extension_for(content_type)


def name_from_stem(stem: str, extension: str) -> str:
    return sanitize_filename(f"{stem}{extension}")


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


def unique_candidates(folder: Path, name: str) -> Iterator[Path]:
    """`folder/name`, then `name (1).ext`, `name (2).ext` ... in the order a free name is looked for."""
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    for n in range(0, 10_000):
        yield inside(folder, name if n == 0 else (f"{stem} ({n}).{ext}" if ext else f"{stem} ({n})"))


def claim_unique(folder: Path, name: str, suffix: str = ".part") -> tuple[Path, Path]:
    """Pick `name`, or `name (1).ext`, ... so that neither the final file nor its partial file exists, and
    create the partial file exclusively so two tasks can never pick the same name."""
    final, part, fd = open_unique(folder, name, suffix)
    os.close(fd)
    return final, part


def open_unique(folder: Path, name: str, suffix: str = ".part") -> tuple[Path, Path, int]:
    """`claim_unique`, keeping the partial file open for reading and writing (the descriptor is the caller's): a
    download writes into the file it created, without opening it a second time."""
    for final in unique_candidates(folder, name):
        part = final.with_name(final.name + suffix)
        if final.exists():
            continue
        try:
            fd = os.open(part, os.O_CREAT | os.O_EXCL | os.O_RDWR | BINARY, 0o644)
        except FileExistsError:
            continue
        return final, part, fd
    raise FileExistsError(f"no free name for {name} in {folder}")
