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
from ..errors import CommandError, describe_validation_error

log = logging.getLogger(__name__)


def validate_update(raw: object) -> AppConfig:
    try:
        return AppConfig.model_validate(raw)
    except ValidationError as exc:
        raise CommandError(f"Configuration error: {describe_validation_error(exc)}") from None


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
            return AppConfig.model_validate(json.loads(self.path.read_text(encoding="utf-8")))
        except (ValueError, ValidationError, OSError) as exc:
            backup = self.path.with_name(f"{self.path.name}.invalid-{time.strftime('%Y%m%d-%H%M%S')}")
            try:
                self.path.replace(backup)
            except OSError:
                backup = self.path
            detail = describe_validation_error(exc) if isinstance(exc, ValidationError) else str(exc)
            self.problem = f"The configuration file could not be used ({detail}); it was kept as {backup.name} and defaults are in use"
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

    def export_to(self, target: Path) -> None:
        try:
            target.write_text(self.config.model_dump_json(indent=2), encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"Configuration error: Cannot write {target}: {exc.strerror}") from None

    @staticmethod
    def read_file(source: Path) -> AppConfig:
        if not source.is_file():
            raise CommandError(f"Configuration error: Configuration file not found: {source}")
        try:
            raw = json.loads(source.read_text(encoding="utf-8"))
        except (ValueError, OSError) as exc:
            raise CommandError(f"Configuration error: Invalid configuration file: {exc}") from None
        return validate_update(raw)
