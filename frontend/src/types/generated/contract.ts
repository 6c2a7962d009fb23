/* eslint-disable */
/**
 * GENERATED FILE - DO NOT EDIT.
 * Source: backend/vdp/contract (Pydantic) -> shared-schema/contract.schema.json -> shared-schema/generate.mjs.
 * Regenerate with: node shared-schema/generate.mjs
 */

/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "DownloaderType".
 */
export type DownloaderType = 'Http' | 'M3u8' | 'Youtube';
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "ErrorCode".
 */
export type ErrorCode =
  | 'stalled'
  | 'retrying'
  | 'retry_exhausted'
  | 'disk_full'
  | 'permission_denied'
  | 'resume_invalidated'
  | 'lagged'
  | 'network'
  | 'timeout'
  | 'server_error'
  | 'rate_limited'
  | 'not_found'
  | 'forbidden'
  | 'unauthorized'
  | 'http_error'
  | 'invalid_response'
  | 'protocol_error'
  | 'got_html_page'
  | 'size_mismatch'
  | 'hash_mismatch'
  | 'invalid_url'
  | 'invalid_playlist'
  | 'drm_protected'
  | 'live_stream'
  | 'unsupported_site'
  | 'login_required'
  | 'geo_restricted'
  | 'unavailable'
  | 'ffmpeg_missing'
  | 'io_error'
  | 'internal'
  | 'task_not_found'
  | 'invalid_status'
  | 'not_active'
  | 'concurrency_limit'
  | 'task_active'
  | 'partial_failure'
  | 'file_not_found'
  | 'file_too_large'
  | 'parse_error'
  | 'invalid_config'
  | 'invalid_argument'
  | 'system_error'
  | 'desktop_only'
  | 'migration_failed'
  | 'database_too_new'
  | 'storage_error'
  | 'database_locked'
  | 'database_read_only'
  | 'database_unavailable'
  | 'database_recovered'
  | 'database_unwritable'
  | 'database_vanished'
  | 'unknown_command'
  | 'not_implemented'
  | 'request_too_large'
  | 'invalid_json'
  | 'backend_unreachable';
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "TaskStatus".
 */
export type TaskStatus =
  'Pending' | 'Scheduled' | 'Downloading' | 'Pausing' | 'Paused' | 'Completing' | 'Completed' | 'Failed' | 'Cancelled';
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "StorageState".
 */
export type StorageState = 'ok' | 'recovered' | 'unwritable' | 'vanished';
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "FileFormat".
 */
export type FileFormat = 'Csv' | 'Excel';

/**
 * Generated from backend/vdp/contract. Do not edit.
 */
export interface VdpContract {
  AddTasksArgs: AddTasksArgs;
  AddUrlsArgs: AddUrlsArgs;
  AdvancedConfig: AdvancedConfig;
  AppConfig: AppConfig;
  Args: Args;
  ByteRange: ByteRange;
  CancelArgs: CancelArgs;
  CommandErrorBody: CommandErrorBody;
  CreateTaskRequest: CreateTaskRequest;
  DebugTestEvent: DebugTestEvent;
  DownloadConfig: DownloadConfig;
  DownloadMetricsEvent: DownloadMetricsEvent;
  DownloadProgressEvent: DownloadProgressEvent;
  DownloadStats: DownloadStats;
  EncodingDetection: EncodingDetection;
  EventMessage: EventMessage;
  ExportConfigArgs: ExportConfigArgs;
  FilePathArgs: FilePathArgs;
  FolderCheck: FolderCheck;
  HealthReport: HealthReport;
  ImportEnqueueArgs: ImportEnqueueArgs;
  ImportFileArgs: ImportFileArgs;
  ImportPathEntry: ImportPathEntry;
  ImportPathPreview: ImportPathPreview;
  ImportPreview: ImportPreview;
  ImportReconciliation: ImportReconciliation;
  ImportResult: ImportResult;
  ImportSheetArgs: ImportSheetArgs;
  ImportStatistics: ImportStatistics;
  ImportedData: ImportedData;
  LogEventArgs: LogEventArgs;
  MigrationArgs: MigrationArgs;
  MigrationOffer: MigrationOffer;
  MigrationReport: MigrationReport;
  MoveTasksArgs: MoveTasksArgs;
  NetworkSpeed: NetworkSpeed;
  NoArgs: NoArgs;
  PathArgs: PathArgs;
  PieceMap: PieceMap;
  PlaylistArgs: PlaylistArgs;
  PreviewArgs: PreviewArgs;
  PreviewPathsArgs: PreviewPathsArgs;
  ProgressUpdate: ProgressUpdate;
  ProtocolMetrics: ProtocolMetrics;
  QueueDepths: QueueDepths;
  QueueRunningArgs: QueueRunningArgs;
  QueueState: QueueState;
  RateLimitArgs: RateLimitArgs;
  ReconciledImport: ReconciledImport;
  RemoveTaskArgs: RemoveTaskArgs;
  RemoveTasksArgs: RemoveTasksArgs;
  RuntimeState: RuntimeState;
  RuntimeWarningEvent: RuntimeWarningEvent;
  SegmentProgress: SegmentProgress;
  SessionSummary: SessionSummary;
  SpeedSample: SpeedSample;
  StageFileArgs: StageFileArgs;
  StartAllArgs: StartAllArgs;
  StartArgs: StartArgs;
  StorageStatus: StorageStatus;
  SubtitleTrack: SubtitleTrack;
  SupportedFormat: SupportedFormat;
  SupportedFormats: SupportedFormats;
  SystemConfig: SystemConfig;
  SystemInfo: SystemInfo;
  TaskAddedEvent: TaskAddedEvent;
  TaskDetails: TaskDetails;
  TaskDetailsArgs: TaskDetailsArgs;
  TaskErrorEntry: TaskErrorEntry;
  TaskHistoryEntry: TaskHistoryEntry;
  TaskIdArgs: TaskIdArgs;
  TaskIdsArgs: TaskIdsArgs;
  TaskPriorityArgs: TaskPriorityArgs;
  TaskRateLimitArgs: TaskRateLimitArgs;
  TaskRemovedEvent: TaskRemovedEvent;
  TaskRuntimeState: TaskRuntimeState;
  TaskStatusChangedEvent: TaskStatusChangedEvent;
  TaskUpdatedEvent: TaskUpdatedEvent;
  TasksReorderedEvent: TasksReorderedEvent;
  UiConfig: UiConfig;
  UpdateConfigArgs: UpdateConfigArgs;
  UpdateOutputPathsArgs: UpdateOutputPathsArgs;
  UrlArgs: UrlArgs;
  ValidateUrlArgs: ValidateUrlArgs;
  VideoFormat: VideoFormat;
  VideoInfo: VideoInfo;
  VideoTask: VideoTask;
  YoutubeConfig: YoutubeConfig;
  YoutubeVideoInfo: YoutubeVideoInfo;
}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "AddTasksArgs".
 */
export interface AddTasksArgs {
  /**
   * @maxItems 100000
   */
  tasks: VideoTask[];
}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "VideoTask".
 */
export interface VideoTask {
  created_at: string;
  downloaded_size: number;
  downloader_type: DownloaderType | null;
  /**
   * Per-task engine choices
   */
  engine_options: {
    [k: string]: string | undefined;
  };
  /**
   * Stable code of error_message, for translation
   */
  error_code: ErrorCode | null;
  error_message: string | null;
  eta: number | null;
  /**
   * Final file once known (never guessed)
   */
  file_path: string | null;
  file_size: number | null;
  id: string;
  max_retries: number;
  output_path: string;
  priority: number;
  /**
   * Percentage 0-100
   */
  progress: number;
  queued: boolean;
  retry_count: number;
  routing_reason: string | null;
  speed: number;
  status: TaskStatus;
  title: string;
  updated_at: string;
  url: string;
  video_info: VideoInfo | null;
}
/**
 * Sheet columns of a course video; every new field has a legacy twin holding the same value.
 *
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "VideoInfo".
 */
export interface VideoInfo {
  course_id: string | null;
  course_name: string | null;
  id: string | null;
  kc_id: string | null;
  kc_name: string | null;
  name: string | null;
  record_url: string | null;
  url: string | null;
  zl_id: string | null;
  zl_name: string | null;
}
/**
 * v2 paste box: URLs become tasks in the backend, with routing and unique names done there.
 *
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "AddUrlsArgs".
 */
export interface AddUrlsArgs {
  downloaderType?: DownloaderType | null;
  format?: string | null;
  outputPath?: string | null;
  /**
   * @maxItems 100000
   */
  urls: string[];
}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "AdvancedConfig".
 */
export interface AdvancedConfig {
  cleanup_on_exit: boolean;
  custom_user_agents: {
    [k: string]: string | undefined;
  };
  download_runtime_v2: boolean;
  enable_logging: boolean;
  enable_proxy: boolean;
  enable_statistics: boolean;
  log_level: string;
  max_log_files: number;
  proxy_host: string | null;
  proxy_password: string | null;
  proxy_port: number | null;
  proxy_type: string;
  proxy_username: string | null;
  /**
   * The global speed limit in megabits per second, as the key says (8 Mbit/s = 1 MB/s)
   */
  rate_limit_mbps: number | null;
  statistics_retention_days: number;
}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "AppConfig".
 */
export interface AppConfig {
  advanced: AdvancedConfig;
  download: DownloadConfig;
  system: SystemConfig | null;
  ui: UiConfig | null;
  youtube: YoutubeConfig | null;
}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "DownloadConfig".
 */
export interface DownloadConfig {
  auto_verify_integrity: boolean;
  concurrent_downloads: number;
  connect_timeout_seconds: number;
  cookies_file: string | null;
  expected_hashes: {
    [k: string]: string | undefined;
  };
  ffmpeg_path: string | null;
  headers: {
    [k: string]: string | undefined;
  };
  /**
   * highest, lowest, or a max height such as 720
   */
  hls_quality: string;
  hls_segment_concurrency: number;
  integrity_algorithm: string | null;
  max_connections_per_download: number;
  /**
   * Connections all downloads together may open; each running download always keeps its first
   */
  max_total_connections: number;
  /**
   * Absolute; by default <the user's Downloads folder>/Video Downloader Pro
   */
  output_directory: string;
  proxy: string | null;
  retry_attempts: number;
  /**
   * Idle/read timeout, never a total timeout
   */
  timeout_seconds: number;
  user_agent: string;
  /**
   * best, audio, a max height such as 720, or a format id
   */
  ytdlp_format: string;
}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "SystemConfig".
 */
export interface SystemConfig {
  auto_update: boolean;
  check_update_on_startup: boolean;
  hardware_acceleration: boolean;
  log_level: string | null;
  max_memory_usage_mb: number | null;
  temp_directory: string | null;
}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "UiConfig".
 */
export interface UiConfig {
  auto_start_downloads: boolean;
  language: string;
  minimize_to_tray: boolean;
  notification_sound: boolean;
  /**
   * HH:MM (24 h, local time); null: off
   */
  schedule_pause_time: string | null;
  /**
   * HH:MM (24 h, local time); null: off
   */
  schedule_start_time: string | null;
  show_completed_tasks: boolean;
  show_notifications: boolean;
  start_minimized: boolean;
  theme: 'light' | 'dark' | 'system';
  window_height: number;
  window_width: number;
  window_x: number | null;
  window_y: number | null;
}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "YoutubeConfig".
 */
export interface YoutubeConfig {
  audio_format: string | null;
  default_format: string | null;
  default_quality: string | null;
  download_description: boolean;
  download_subtitles: boolean;
  download_thumbnail: boolean;
  extract_audio: boolean;
  playlist_max_items: number | null;
  playlist_reverse: boolean;
  subtitle_languages: string[];
}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "Args".
 */
export interface Args {}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "ByteRange".
 */
export interface ByteRange {
  /**
   * exclusive
   */
  end: number;
  start: number;
}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "CancelArgs".
 */
export interface CancelArgs {
  keepFile?: boolean;
  taskId: string;
}
/**
 * A failed command in server mode (HTTP 4xx/5xx); the desktop bridge rejects with `{message, code}`.
 *
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "CommandErrorBody".
 */
export interface CommandErrorBody {
  code: ErrorCode;
  error: string;
}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "CreateTaskRequest".
 */
export interface CreateTaskRequest {
  output_path: string;
  title: string;
  url: string;
  video_info: VideoInfo | null;
}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "DebugTestEvent".
 */
export interface DebugTestEvent {
  message: string;
  task_id: string;
}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "DownloadMetricsEvent".
 */
export interface DownloadMetricsEvent {
  active: number;
  avg_speed: number;
  cancelled: number;
  completed: number;
  downloaded_bytes: number;
  failed: number;
  paused: number;
  pending: number;
  per_protocol: {
    [k: string]: ProtocolMetrics | undefined;
  };
  queued: number;
  total: number;
  total_speed: number;
  worker_utilization: number;
}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "ProtocolMetrics".
 */
export interface ProtocolMetrics {
  active: number;
  speed: number;
}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "DownloadProgressEvent".
 */
export interface DownloadProgressEvent {
  downloaded: number;
  downloaded_size: number;
  eta: number | null;
  eta_secs: number | null;
  instantaneous_speed: number;
  /**
   * Fraction 0-1
   */
  progress: number;
  smoothed_speed: number;
  speed: number;
  task_id: string;
  total: number | null;
  total_size: number | null;
}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "DownloadStats".
 */
export interface DownloadStats {
  active_downloads: number;
  average_speed: number;
  completed_tasks: number;
  failed_tasks: number;
  total_downloaded: number;
  total_tasks: number;
}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "EncodingDetection".
 */
export interface EncodingDetection {
  confidence: number;
  encoding: string;
  language: string | null;
}
/**
 * One element of a pushed batch: `{event, payload}`.
 *
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "EventMessage".
 */
export interface EventMessage {
  event: string;
  payload: unknown;
}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "ExportConfigArgs".
 */
export interface ExportConfigArgs {
  filePath: string;
  /**
   * v2: replace an existing file that is not a settings export
   */
  overwrite?: boolean;
}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "FilePathArgs".
 */
export interface FilePathArgs {
  filePath: string;
}
/**
 * `check_download_folder`: whether downloads can go to a folder, before the user saves it.
 *
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "FolderCheck".
 */
export interface FolderCheck {
  exists: boolean;
  /**
   * The folder as it would be stored (absolute, `~` expanded)
   */
  path: string;
  /**
   * Why it is not usable, for a person
   */
  problem: string | null;
  usable: boolean;
  /**
   * Writable, or creatable when it does not exist yet
   */
  writable: boolean;
}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "HealthReport".
 */
export interface HealthReport {
  command_queue_depth: number;
  database_ok: boolean;
  disk_write_bytes_per_sec: number;
  event_subscribers: number;
  events_per_sec: number;
  lagged_subscribers: number;
  loop_lag_ms: number;
  ok: boolean;
  queues: QueueDepths;
  runtime: string;
  storage: StorageStatus;
  uptime_secs: number;
  worker_utilization: number;
}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "QueueDepths".
 */
export interface QueueDepths {
  automatic: number;
  interactive: number;
  retry: number;
}
/**
 * The task database as the user must know it (the storage banner; docs/security.md, "The task list").
 *
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "StorageStatus".
 */
export interface StorageStatus {
  /**
   * the newest backup (or rescue copy) of the task list
   */
  last_backup: string | null;
  /**
   * what happened and what to do; null when state is ok
   */
  message: string | null;
  /**
   * the copy of a malformed task list kept at start
   */
  moved_aside_to: string | null;
  /**
   * false while changes are not being saved (unwritable, vanished)
   */
  ok: boolean;
  path: string;
  state: StorageState;
}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "ImportEnqueueArgs".
 */
export interface ImportEnqueueArgs {
  encoding?: string | null;
  fieldMapping?: {
    [k: string]: string | undefined;
  } | null;
  filePath: string;
  /**
   * v2: flat (all in outputDir), by_column (<专栏名称>/) or by_course (<专栏名称>/<NN 课程名称>.<ext>, what our UI sends); see importers/_tasks.py
   */
  layout?: ('flat' | 'by_column' | 'by_course') | null;
  outputDir?: string | null;
  sheetName?: string | null;
  /**
   * v2: start all downloads afterwards (start_all_downloads)
   */
  start?: boolean;
}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "ImportFileArgs".
 */
export interface ImportFileArgs {
  customFieldMapping?: {
    [k: string]: string[] | undefined;
  } | null;
  filePath: string;
  maxRows?: number | null;
  strictMode?: boolean;
}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "ImportPathEntry".
 */
export interface ImportPathEntry {
  /**
   * 专栏名称 (the course), or null when the row names none
   */
  course: string | null;
  /**
   * false: the URL names no extension; the server's answer decides it
   */
  extension_known: boolean;
  /**
   * without an extension when only the server's answer can tell it
   */
  file_name: string;
  /**
   * absolute folder the file goes to
   */
  folder: string;
  /**
   * folder + file_name
   */
  path: string;
  /**
   * 1-based position among the rows that become downloads, in sheet order
   */
  row: number;
  title: string;
  url: string;
}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "ImportPathPreview".
 */
export interface ImportPathPreview {
  /**
   * distinct course folders
   */
  courses: number;
  entries: ImportPathEntry[];
  layout: 'flat' | 'by_column' | 'by_course';
  /**
   * rows whose path an earlier row of the sheet has: such a file is named `name (1).ext` ... when it downloads, in no set order
   */
  name_clashes: number;
  /**
   * absolute
   */
  output_dir: string;
  /**
   * rows that become downloads
   */
  total: number;
}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "ImportPreview".
 */
export interface ImportPreview {
  encoding: string;
  field_mapping: {
    [k: string]: string | undefined;
  };
  headers: string[];
  rows: string[][];
  total_rows: number;
}
/**
 * What a (re-)import did: the original HEAD's "N new, M already known, X completed, Y resumable".
 *
 * Every parsed row is counted once: `new` + `already_known` + `duplicate_rows` = parsed rows. A row is already
 * known when a task exists with the same business key (column id + URL) or the same URL and folder. The known
 * tasks are split by where they stand: completed, resumable (paused, or bytes already saved), failed, waiting
 * (not started), active (running now) and cancelled.
 *
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "ImportReconciliation".
 */
export interface ImportReconciliation {
  active: number;
  already_known: number;
  cancelled: number;
  completed: number;
  duplicate_rows: number;
  failed: number;
  new: number;
  resumable: number;
  /**
   * rows without a valid http(s) URL (see the import statistics)
   */
  skipped: number;
  waiting: number;
}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "ImportResult".
 */
export interface ImportResult {
  encoding: string;
  file_format: FileFormat;
  imported_data: ImportedData[];
  statistics: ImportStatistics;
}
/**
 * One parsed sheet row (the same field set as `VideoInfo`).
 *
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "ImportedData".
 */
export interface ImportedData {
  course_id: string | null;
  course_name: string | null;
  id: string | null;
  kc_id: string | null;
  kc_name: string | null;
  name: string | null;
  record_url: string | null;
  url: string | null;
  zl_id: string | null;
  zl_name: string | null;
}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "ImportStatistics".
 */
export interface ImportStatistics {
  file_size: number;
  parse_time_ms: number;
  parsed_rows: number;
  /**
   * v2: skipped rows counted by reason
   */
  skip_reasons: {
    [k: string]: number | undefined;
  };
  skipped_rows: number;
  total_rows: number;
}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "ImportSheetArgs".
 */
export interface ImportSheetArgs {
  encoding?: string | null;
  fieldMapping?: {
    [k: string]: string | undefined;
  } | null;
  filePath: string;
  sheetName?: string | null;
}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "LogEventArgs".
 */
export interface LogEventArgs {
  level?: string | null;
  message: string;
}
/**
 * v2 `run_migration`: the original app's storage folder (or its config.json / download_state.json);
 * left out, the one `get_migration_offer` found.
 *
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "MigrationArgs".
 */
export interface MigrationArgs {
  path?: string | null;
}
/**
 * `get_migration_offer`: the original app's storage found on this machine and not migrated yet.
 *
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "MigrationOffer".
 */
export interface MigrationOffer {
  /**
   * whether its config.json is there
   */
  config: boolean;
  found: boolean;
  /**
   * the folder holding the original's config.json
   */
  path: string | null;
  /**
   * readable tasks in its download_state.json
   */
  tasks: number;
}
/**
 * `run_migration`: what was taken over from the original app. Running it again adds nothing.
 *
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "MigrationReport".
 */
export interface MigrationReport {
  config_migrated: boolean;
  /**
   * what was not taken over (unknown or invalid settings, unreadable files) and why
   */
  notes: string[];
  path: string;
  tasks_added: number;
  /**
   * same URL as a task we already have: left alone
   */
  tasks_already_known: number;
  /**
   * completed or cancelled in the original: not downloaded again
   */
  tasks_finished: number;
  tasks_found: number;
  tasks_unreadable: number;
}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "MoveTasksArgs".
 */
export interface MoveTasksArgs {
  direction: 'up' | 'down' | 'top' | 'bottom';
  /**
   * @minItems 1
   * @maxItems 1000000
   */
  taskIds: string[];
}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "NetworkSpeed".
 */
export interface NetworkSpeed {
  download: number;
  upload: number;
}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "NoArgs".
 */
export interface NoArgs {}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "PathArgs".
 */
export interface PathArgs {
  path: string;
}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "PieceMap".
 */
export interface PieceMap {
  done_bytes: number;
  /**
   * byte ranges on disk, merged and sorted
   */
  ranges: ByteRange[];
  /**
   * live: the running engine's map; saved: the resume map of the last checkpoint; none: no map
   */
  source: 'live' | 'saved' | 'none';
  /**
   * file size, null while unknown
   */
  total: number | null;
}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "PlaylistArgs".
 */
export interface PlaylistArgs {
  enqueue?: boolean;
  maxVideos?: number | null;
  outputPath?: string | null;
  playlistUrl: string;
}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "PreviewArgs".
 */
export interface PreviewArgs {
  filePath: string;
  maxRows?: number | null;
}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "PreviewPathsArgs".
 */
export interface PreviewPathsArgs {
  fieldMapping?: {
    [k: string]: string | undefined;
  } | null;
  filePath: string;
  layout?: 'flat' | 'by_column' | 'by_course';
  /**
   * entries listed (0: all); totals count every row
   */
  maxRows?: number;
  /**
   * left out: the configured download folder
   */
  outputDir?: string | null;
}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "ProgressUpdate".
 */
export interface ProgressUpdate {
  downloaded_size: number;
  eta: number | null;
  /**
   * Fraction 0-1, 0 when the total is unknown
   */
  progress: number;
  speed: number;
  task_id: string;
  total_size: number | null;
}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "QueueRunningArgs".
 */
export interface QueueRunningArgs {
  running: boolean;
}
/**
 * `get_queue_state`, `set_queue_running` and the `queue_state_changed` event.
 *
 * running: tasks waiting in the queue start as slots free, including tasks added later; paused: none starts from the
 * queue (a task the user starts still does). `start_all_downloads` sets it running, `pause_all_downloads` paused.
 *
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "QueueState".
 */
export interface QueueState {
  /**
   * when the scheduler next acts, null when it is off
   */
  next_change_at: string | null;
  /**
   * what it then sets: true start, false pause
   */
  next_change_running: boolean | null;
  running: boolean;
  /**
   * ui.schedule_pause_time (HH:MM, local)
   */
  schedule_pause_time: string | null;
  /**
   * ui.schedule_start_time (HH:MM, local)
   */
  schedule_start_time: string | null;
}
/**
 * Bytes per second; null lifts the limit (a non-null value outside the bounds is refused, 0 included).
 *
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "RateLimitArgs".
 */
export interface RateLimitArgs {
  bytesPerSecond?: number | null;
}
/**
 * `import_and_reconcile`: the tasks created (in one transaction) and what the file held.
 *
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "ReconciledImport".
 */
export interface ReconciledImport {
  reconciliation: ImportReconciliation;
  statistics: ImportStatistics;
  tasks: VideoTask[];
}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "RemoveTaskArgs".
 */
export interface RemoveTaskArgs {
  deleteFile?: boolean;
  taskId: string;
}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "RemoveTasksArgs".
 */
export interface RemoveTasksArgs {
  deleteFile?: boolean;
  /**
   * @maxItems 1000000
   */
  taskIds: string[];
}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "RuntimeState".
 */
export interface RuntimeState {
  active: number;
  backlog_running: boolean;
  command_queue_capacity: number;
  command_queue_depth: number;
  concurrency: number;
  queues: QueueDepths;
  reserved_slots: number;
  runtime: string;
  tasks: TaskRuntimeState[];
  worker_utilization: number;
}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "TaskRuntimeState".
 */
export interface TaskRuntimeState {
  attempt: number;
  /**
   * interactive, automatic, retry, or null when not queued
   */
  queue: string | null;
  slot_reserved: boolean;
  status: TaskStatus;
  task_id: string;
  worker: number | null;
}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "RuntimeWarningEvent".
 */
export interface RuntimeWarningEvent {
  attempt: number | null;
  code: ErrorCode;
  max_attempts: number | null;
  message: string;
  task_id: string | null;
}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "SegmentProgress".
 */
export interface SegmentProgress {
  done: number;
  total: number | null;
}
/**
 * What the restart found, for the recovery banner (docs/architecture.md, "Statuses and queues").
 *
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "SessionSummary".
 */
export interface SessionSummary {
  completed: number;
  continuable: number;
  failed: number;
  recovered_at: string | null;
  total: number;
  waiting: number;
}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "SpeedSample".
 */
export interface SpeedSample {
  at: string;
  bytes_per_second: number;
}
/**
 * A file dropped or picked in the page: its name and bytes (base64), staged where the importers can read it.
 *
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "StageFileArgs".
 */
export interface StageFileArgs {
  contentBase64: string;
  name: string;
}
/**
 * v2 start dialog: a one-run output folder override (original-features.md §2.4).
 *
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "StartAllArgs".
 */
export interface StartAllArgs {
  outputPath?: string | null;
}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "StartArgs".
 */
export interface StartArgs {
  restart?: boolean;
  taskId: string;
}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "SubtitleTrack".
 */
export interface SubtitleTrack {
  ext: string;
  language: string;
  language_code: string;
  url: string;
}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "SupportedFormat".
 */
export interface SupportedFormat {
  description: string;
  extensions: string[];
  name: string;
  supports_multiple_sheets: boolean;
}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "SupportedFormats".
 */
export interface SupportedFormats {
  encodings: string[];
  formats: SupportedFormat[];
}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "SystemInfo".
 */
export interface SystemInfo {
  active_downloads: number;
  cpu_usage: number;
  disk_usage: number;
  memory_usage: number;
  network_speed: NetworkSpeed;
}
/**
 * The full task, so the UI never has to poll for new rows.
 *
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "TaskAddedEvent".
 */
export interface TaskAddedEvent {
  created_at: string;
  downloaded_size: number;
  downloader_type: DownloaderType | null;
  /**
   * Per-task engine choices
   */
  engine_options: {
    [k: string]: string | undefined;
  };
  /**
   * Stable code of error_message, for translation
   */
  error_code: ErrorCode | null;
  error_message: string | null;
  eta: number | null;
  /**
   * Final file once known (never guessed)
   */
  file_path: string | null;
  file_size: number | null;
  id: string;
  max_retries: number;
  output_path: string;
  priority: number;
  /**
   * Percentage 0-100
   */
  progress: number;
  queued: boolean;
  retry_count: number;
  routing_reason: string | null;
  speed: number;
  status: TaskStatus;
  title: string;
  updated_at: string;
  url: string;
  video_info: VideoInfo | null;
}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "TaskDetails".
 */
export interface TaskDetails {
  active: boolean;
  /**
   * connections (HTTP) or parts (HLS) in flight now
   */
  connections: number;
  engine: DownloaderType | null;
  /**
   * this session's failures and warnings, oldest first
   */
  errors: TaskErrorEntry[];
  /**
   * absolute: the final file once known, else the partial file
   */
  file_path: string | null;
  /**
   * the audit trail, oldest first (the last 200)
   */
  history: TaskHistoryEntry[];
  /**
   * absolute
   */
  output_folder: string;
  pieces: PieceMap;
  retries_used: number;
  retry_budget: number;
  routing_reason: string | null;
  /**
   * HLS only: parts on disk / parts in the stream
   */
  segments: SegmentProgress | null;
  /**
   * about one a second while running, the last 120
   */
  speed_samples: SpeedSample[];
  task_id: string;
  url: string;
}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "TaskErrorEntry".
 */
export interface TaskErrorEntry {
  at: string;
  code: string | null;
  message: string;
}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "TaskHistoryEntry".
 */
export interface TaskHistoryEntry {
  at: string;
  cause: string | null;
  from_status: TaskStatus | null;
  /**
   * added, status or removed
   */
  kind: string;
  to_status: TaskStatus | null;
}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "TaskDetailsArgs".
 */
export interface TaskDetailsArgs {
  taskId: string;
}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "TaskIdArgs".
 */
export interface TaskIdArgs {
  taskId: string;
}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "TaskIdsArgs".
 */
export interface TaskIdsArgs {
  /**
   * @maxItems 1000000
   */
  taskIds: string[];
}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "TaskPriorityArgs".
 */
export interface TaskPriorityArgs {
  priority: number;
  taskId: string;
}
/**
 * One task's own limit in bytes per second, on top of the global one; null lifts it.
 *
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "TaskRateLimitArgs".
 */
export interface TaskRateLimitArgs {
  bytesPerSecond?: number | null;
  taskId: string;
}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "TaskRemovedEvent".
 */
export interface TaskRemovedEvent {
  task_id: string;
}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "TaskStatusChangedEvent".
 */
export interface TaskStatusChangedEvent {
  error: string | null;
  error_code: ErrorCode | null;
  error_message: string | null;
  from: TaskStatus | null;
  status: TaskStatus;
  task_id: string;
  to: TaskStatus;
}
/**
 * The full task after a change that is not a status change (its title found from the link, priority, folder).
 *
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "TaskUpdatedEvent".
 */
export interface TaskUpdatedEvent {
  created_at: string;
  downloaded_size: number;
  downloader_type: DownloaderType | null;
  /**
   * Per-task engine choices
   */
  engine_options: {
    [k: string]: string | undefined;
  };
  /**
   * Stable code of error_message, for translation
   */
  error_code: ErrorCode | null;
  error_message: string | null;
  eta: number | null;
  /**
   * Final file once known (never guessed)
   */
  file_path: string | null;
  file_size: number | null;
  id: string;
  max_retries: number;
  output_path: string;
  priority: number;
  /**
   * Percentage 0-100
   */
  progress: number;
  queued: boolean;
  retry_count: number;
  routing_reason: string | null;
  speed: number;
  status: TaskStatus;
  title: string;
  updated_at: string;
  url: string;
  video_info: VideoInfo | null;
}
/**
 * `tasks_reordered`: every task id in the new queue order (the order of `get_download_tasks`).
 *
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "TasksReorderedEvent".
 */
export interface TasksReorderedEvent {
  task_ids: string[];
}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "UpdateConfigArgs".
 */
export interface UpdateConfigArgs {
  newConfig: AppConfig;
}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "UpdateOutputPathsArgs".
 */
export interface UpdateOutputPathsArgs {
  outputPath: string;
  /**
   * @maxItems 1000000
   */
  taskIds: string[];
}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "UrlArgs".
 */
export interface UrlArgs {
  url: string;
}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "ValidateUrlArgs".
 */
export interface ValidateUrlArgs {
  url: string;
}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "VideoFormat".
 */
export interface VideoFormat {
  abr: number | null;
  ext: string;
  filesize: number | null;
  format_id: string;
  fps: number | null;
  height: number | null;
  quality: string;
  vbr: number | null;
  width: number | null;
}
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "YoutubeVideoInfo".
 */
export interface YoutubeVideoInfo {
  description: string;
  duration: number;
  formats: VideoFormat[];
  id: string;
  subtitles: SubtitleTrack[];
  thumbnail: string;
  title: string;
}

/** Every command with its arguments and result (from the bridge's command table). */
export interface CommandMap {
  add_download_tasks: { args: AddTasksArgs; result: VideoTask[] };
  add_urls: { args: AddUrlsArgs; result: VideoTask[] };
  cancel_all_downloads: { args: NoArgs; result: number };
  cancel_download: { args: CancelArgs; result: null };
  check_download_folder: { args: PathArgs; result: FolderCheck };
  check_ffmpeg: { args: NoArgs; result: boolean };
  check_yt_dlp: { args: NoArgs; result: boolean };
  clear_completed_tasks: { args: NoArgs; result: null };
  debug_download_test: { args: TaskIdArgs; result: string };
  debug_runtime_dump: { args: NoArgs; result: Record<string, unknown> };
  detect_file_encoding: { args: FilePathArgs; result: EncodingDetection };
  download_runtime_state: { args: NoArgs; result: RuntimeState };
  download_youtube_playlist: { args: PlaylistArgs; result: ImportedData[] };
  export_config: { args: ExportConfigArgs; result: null };
  get_app_info: { args: NoArgs; result: Record<string, unknown> };
  get_config: { args: NoArgs; result: AppConfig };
  get_download_stats: { args: NoArgs; result: DownloadStats };
  get_download_tasks: { args: NoArgs; result: VideoTask[] };
  get_migration_offer: { args: NoArgs; result: MigrationOffer };
  get_queue_state: { args: NoArgs; result: QueueState };
  get_rate_limit: { args: NoArgs; result: number | null };
  get_session_summary: { args: NoArgs; result: SessionSummary };
  get_supported_formats: { args: NoArgs; result: SupportedFormats };
  get_system_info: { args: NoArgs; result: SystemInfo };
  get_task_details: { args: TaskDetailsArgs; result: TaskDetails };
  get_task_rate_limit: { args: TaskIdArgs; result: number | null };
  get_video_info: { args: UrlArgs; result: Record<string, unknown> };
  get_youtube_formats: { args: UrlArgs; result: VideoFormat[] };
  get_youtube_info: { args: UrlArgs; result: YoutubeVideoInfo };
  health: { args: NoArgs; result: HealthReport };
  import_and_reconcile: { args: ImportEnqueueArgs; result: ReconciledImport };
  import_config: { args: FilePathArgs; result: AppConfig };
  import_csv_file: { args: ImportSheetArgs; result: ImportedData[] };
  import_excel_file: { args: ImportSheetArgs; result: ImportedData[] };
  import_file: { args: ImportFileArgs; result: ImportResult };
  import_tasks_and_enqueue: { args: ImportEnqueueArgs; result: VideoTask[] };
  log_frontend_event: { args: LogEventArgs; result: null };
  move_tasks: { args: MoveTasksArgs; result: string[] };
  open_download_folder: { args: NoArgs; result: null };
  open_path: { args: PathArgs; result: null };
  pause_all_downloads: { args: NoArgs; result: number };
  pause_download: { args: TaskIdArgs; result: null };
  preview_import_data: { args: PreviewArgs; result: ImportPreview };
  preview_import_paths: { args: PreviewPathsArgs; result: ImportPathPreview };
  read_clipboard_text: { args: NoArgs; result: string };
  remove_download: { args: RemoveTaskArgs; result: null };
  remove_download_tasks: { args: RemoveTasksArgs; result: null };
  reset_config: { args: NoArgs; result: AppConfig };
  resume_all_downloads: { args: NoArgs; result: number };
  resume_download: { args: TaskIdArgs; result: null };
  retry_failed_tasks: { args: NoArgs; result: null };
  reveal_path_in_folder: { args: PathArgs; result: null };
  run_migration: { args: MigrationArgs; result: MigrationReport };
  select_import_file: { args: NoArgs; result: string | null };
  select_output_directory: { args: NoArgs; result: string };
  set_queue_running: { args: QueueRunningArgs; result: QueueState };
  set_rate_limit: { args: RateLimitArgs; result: number | null };
  set_task_priority: { args: TaskPriorityArgs; result: null };
  set_task_rate_limit: { args: TaskRateLimitArgs; result: number | null };
  show_in_folder: { args: FilePathArgs; result: null };
  stage_import_file: { args: StageFileArgs; result: string };
  start_all_downloads: { args: StartAllArgs; result: number };
  start_all_pending_downloads: { args: NoArgs; result: number };
  start_download: { args: StartArgs; result: null };
  start_system_monitor: { args: NoArgs; result: null };
  stop_system_monitor: { args: NoArgs; result: null };
  update_config: { args: UpdateConfigArgs; result: null };
  update_task_output_paths: { args: UpdateOutputPathsArgs; result: VideoTask[] };
  validate_url: { args: ValidateUrlArgs; result: boolean };
}
export type CommandName = keyof CommandMap;
export type CommandArgs<K extends CommandName> = CommandMap[K]['args'];
export type CommandResult<K extends CommandName> = CommandMap[K]['result'];
