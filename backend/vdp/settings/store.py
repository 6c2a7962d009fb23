"""Config as JSON, written atomically. A file that cannot be read is kept aside, never silently overwritten."""

from __future__ import annotations

import json
import logging
import os
import tempfile
import time
from pathlib import Path
from typing import Optional

from pydantic import ValidationError

from ..contract import AppConfig
from ..errors import ErrorCode, ErrorKind, VdpError, describe_validation_error
from ..paths import with_absolute_download_folder
from .exchange import read_settings_file, write_settings_file

log = logging.getLogger(__name__)


def validate_update(raw: object) -> AppConfig:
    try:
        return AppConfig.model_validate(raw)
    except ValidationError as exc:
        raise VdpError(ErrorCode.INVALID_CONFIG, describe_validation_error(exc), kind=ErrorKind.CONFIG) from None


class ConfigStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.problem: Optional[str] = None  # why the file on disk was not used, for the UI
        self.config = self._load()

    def _load(self) -> AppConfig:
        if not self.path.exists():
            config = AppConfig()
            self.save(config)
            return config
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            config = AppConfig.model_validate(with_absolute_download_folder(raw, "The download folder"))
            if config.download.output_directory != _stored_folder(raw):
                self.save(config)  # resolved once, stored absolute
            return config
        except (ValueError, ValidationError, OSError) as exc:
            backup = self.path.with_name(f"{self.path.name}.invalid-{time.strftime('%Y%m%d-%H%M%S')}")
            try:
                self.path.replace(backup)
            except OSError:
                backup = self.path
            detail = describe_validation_error(exc) if isinstance(exc, ValidationError) else str(exc)
            self.problem = (f"The configuration file could not be used ({detail}); it was kept as {backup.name} "
                            "and defaults are in use")
            log.error(self.problem)
            config = AppConfig()
            self.save(config)
            return config

    def save(self, config: AppConfig) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        text = config.model_dump_json(indent=2)
        fd, tmp = tempfile.mkstemp(prefix=".config-", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self.config = config

    def export_to(self, target: Path, *, overwrite: bool = False) -> None:
        write_settings_file(target, self.config.model_dump_json(indent=2), overwrite=overwrite)

    @staticmethod
    def read_file(source: Path) -> AppConfig:
        raw = read_settings_file(source)  # a regular file of at most 1 MiB (settings/exchange.py)
        return validate_update(with_absolute_download_folder(raw, f"The download folder of {source.name}"))


def _stored_folder(raw: object) -> object:
    download = raw.get("download") if isinstance(raw, dict) else None
    return download.get("output_directory") if isinstance(download, dict) else None
