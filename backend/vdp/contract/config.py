"""`AppConfig` (docs/contract.md, "Configuration commands") with the v2 keys. Every key has a default so a partial
file loads."""

from __future__ import annotations

import re
from typing import Literal, Optional

from pydantic import Field, field_validator, model_validator

from ..paths import absolute_download_folder, default_download_folder
from ._wire import WireModel

# The original's default, word for word (docs/contract.md, get_config).
DEFAULT_USER_AGENT = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36"
_TIME_OF_DAY = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
LOG_LEVELS = ("error", "warn", "info", "debug", "trace")


class DownloadConfig(WireModel):
    concurrent_downloads: int = Field(default=3, ge=1, le=64)
    retry_attempts: int = Field(default=3, ge=0, le=10)
    timeout_seconds: int = Field(default=30, ge=1, le=3600, description="Idle/read timeout, never a total timeout")
    user_agent: str = DEFAULT_USER_AGENT
    proxy: Optional[str] = None
    headers: dict[str, str] = Field(default_factory=dict)
    output_directory: str = Field(
        default_factory=default_download_folder, max_length=4096,
        description="Absolute; by default <the user's Downloads folder>/Video Downloader Pro")
    auto_verify_integrity: bool = False
    integrity_algorithm: Optional[str] = "sha256"
    expected_hashes: dict[str, str] = Field(default_factory=dict)
    # v2 keys
    max_connections_per_download: int = Field(default=8, ge=1, le=32)
    max_total_connections: int = Field(
        default=32, ge=1, le=256,
        description="Connections all downloads together may open; each running download always keeps its first",
    )
    connect_timeout_seconds: int = Field(default=15, ge=1, le=300)
    hls_segment_concurrency: int = Field(default=8, ge=1, le=32)
    hls_quality: str = Field(default="highest", description="highest, lowest, or a max height such as 720")
    ytdlp_format: str = Field(default="best", description="best, audio, a max height such as 720, or a format id")
    ffmpeg_path: Optional[str] = None
    cookies_file: Optional[str] = None

    @field_validator("output_directory")
    @classmethod
    def _folder_is_absolute(cls, value: str) -> str:
        return absolute_download_folder(value)  # its ValueError names what is wrong (vdp/paths.py)

    @field_validator("proxy")
    @classmethod
    def _proxy_is_url(cls, value: Optional[str]) -> Optional[str]:
        if value in (None, ""):
            return None
        scheme = value.split("://", 1)[0].lower()
        if scheme not in {"http", "https", "socks5", "socks5h", "socks4"} or "://" not in value:
            raise ValueError("proxy must be a URL such as http://host:port or socks5://host:port")
        return value


class UiConfig(WireModel):
    theme: Literal["light", "dark", "system"] = "system"
    language: str = "zh-CN"
    window_width: int = 1200
    window_height: int = 800
    window_x: Optional[int] = None
    window_y: Optional[int] = None
    show_completed_tasks: bool = True
    auto_start_downloads: bool = False
    show_notifications: bool = True
    notification_sound: bool = True
    minimize_to_tray: bool = False
    start_minimized: bool = False
    # v2: the queue scheduler (runtime/queue_schedule.py): start / pause the queue at a local time of day
    schedule_start_time: Optional[str] = Field(default=None, description="HH:MM (24 h, local time); null: off")
    schedule_pause_time: Optional[str] = Field(default=None, description="HH:MM (24 h, local time); null: off")

    @field_validator("schedule_start_time", "schedule_pause_time")
    @classmethod
    def _time_of_day(cls, value: Optional[str]) -> Optional[str]:
        if value in (None, ""):
            return None
        if not _TIME_OF_DAY.match(value):
            raise ValueError("a time of day must be HH:MM (00:00 to 23:59)")
        return value


class SystemConfig(WireModel):
    auto_update: bool = True
    check_update_on_startup: bool = True
    hardware_acceleration: bool = True
    max_memory_usage_mb: Optional[int] = None
    temp_directory: Optional[str] = None
    log_level: Optional[str] = "info"

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: Optional[str]) -> Optional[str]:
        if value is not None and value not in LOG_LEVELS:
            raise ValueError(f"Invalid log level: {value}")
        return value


class YoutubeConfig(WireModel):
    default_quality: Optional[str] = "720p"
    default_format: Optional[str] = "mp4"
    extract_audio: bool = False
    audio_format: Optional[str] = "mp3"
    download_subtitles: bool = False
    subtitle_languages: list[str] = Field(default_factory=lambda: ["zh-CN", "en"])
    download_thumbnail: bool = True
    download_description: bool = True
    playlist_reverse: bool = False
    playlist_max_items: Optional[int] = None


class AdvancedConfig(WireModel):
    enable_logging: bool = True
    log_level: str = "info"
    max_log_files: int = 10
    cleanup_on_exit: bool = True
    enable_proxy: bool = False
    proxy_type: str = "http"
    proxy_host: Optional[str] = None
    proxy_port: Optional[int] = None
    proxy_username: Optional[str] = None
    proxy_password: Optional[str] = None
    custom_user_agents: dict[str, str] = Field(default_factory=dict)
    rate_limit_mbps: Optional[float] = Field(
        default=None, gt=0, le=10000, json_schema_extra={"unit": "Mbit/s"},
        description="The global speed limit in megabits per second, as the key says (8 Mbit/s = 1 MB/s)")
    enable_statistics: bool = True
    statistics_retention_days: int = 30
    # v2: which orchestration runs (docs/contract.md, "Commands": the two runtimes); takes effect on restart.
    download_runtime_v2: bool = True

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        if value not in LOG_LEVELS:
            raise ValueError(f"Invalid log level: {value}")
        return value

    @model_validator(mode="after")
    def _proxy_complete(self) -> "AdvancedConfig":
        if self.enable_proxy:
            if self.proxy_type not in ("http", "https", "socks4", "socks5"):
                raise ValueError(f"Invalid proxy type: {self.proxy_type}")
            if not self.proxy_host or not self.proxy_port:
                raise ValueError("Proxy host and port are required when the proxy is enabled")
        return self


class AppConfig(WireModel):
    download: DownloadConfig = Field(default_factory=DownloadConfig)
    ui: Optional[UiConfig] = Field(default_factory=UiConfig)
    system: Optional[SystemConfig] = Field(default_factory=SystemConfig)
    youtube: Optional[YoutubeConfig] = Field(default_factory=YoutubeConfig)
    advanced: AdvancedConfig = Field(default_factory=AdvancedConfig)
