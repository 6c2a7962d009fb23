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
 * via the `definition` "TaskStatus".
 */
export type TaskStatus =
  'Pending' | 'Scheduled' | 'Downloading' | 'Pausing' | 'Paused' | 'Completing' | 'Completed' | 'Failed' | 'Cancelled';
/**
 * This interface was referenced by `VdpContract`'s JSON-Schema
 * via the `definition` "FileFormat".
 */
export type FileFormat = 'Csv' | 'Excel';
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
  | 'internal';

/**
 * Generated from backend/vdp/contract. Do not edit.
 */
export interface VdpContract {
  AddTasksArgs: AddTasksArgs;
  AddUrlsArgs: AddUrlsArgs;
  AdvancedConfig: AdvancedConfig;
  AppConfig: AppConfig;
  Args: Args;
  CancelArgs: CancelArgs;
  CreateTaskRequest: CreateTaskRequest;
  DebugTestEvent: DebugTestEvent;
  DownloadConfig: DownloadConfig;
  DownloadMetricsEvent: DownloadMetricsEvent;
  DownloadProgressEvent: DownloadProgressEvent;
  DownloadStats: DownloadStats;
  EncodingDetection: EncodingDetection;
  EventMessage: EventMessage;
  FilePathArgs: FilePathArgs;
  HealthReport: HealthReport;
  ImportEnqueueArgs: ImportEnqueueArgs;
  ImportFileArgs: ImportFileArgs;
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
  NetworkSpeed: NetworkSpeed;
  NoArgs: NoArgs;
  PathArgs: PathArgs;
  PlaylistArgs: PlaylistArgs;
  PreviewArgs: PreviewArgs;
  ProgressUpdate: ProgressUpdate;
  ProtocolMetrics: ProtocolMetrics;
  QueueDepths: QueueDepths;
  RateLimitArgs: RateLimitArgs;
  ReconciledImport: ReconciledImport;
  RemoveTaskArgs: RemoveTaskArgs;
  RemoveTasksArgs: RemoveTasksArgs;
  RuntimeState: RuntimeState;
  RuntimeWarningEvent: RuntimeWarningEvent;
  SessionSummary: SessionSummary;
  StageFileArgs: StageFileArgs;
  StartAllArgs: StartAllArgs;
  SubtitleTrack: SubtitleTrack;
  SupportedFormat: SupportedFormat;
  SupportedFormats: SupportedFormats;
  SystemConfig: SystemConfig;
  SystemInfo: SystemInfo;
  TaskAddedEvent: TaskAddedEvent;
  TaskIdArgs: TaskIdArgs;
  TaskIdsArgs: TaskIdsArgs;
  TaskPriorityArgs: TaskPriorityArgs;
  TaskRemovedEvent: TaskRemovedEvent;
  TaskRuntimeState: TaskRuntimeState;
  TaskStatusChangedEvent: TaskStatusChangedEvent;
  TaskUpdatedEvent: TaskUpdatedEvent;
  UiConfig: UiConfig;
  UpdateConfigArgs: UpdateConfigArgs;
  UpdateOutputPathsArgs: UpdateOutputPathsArgs;
  UrlArgs: UrlArgs;
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
 * via the `definition` "CancelArgs".
 */
export interface CancelArgs {
  keepFile?: boolean;
  taskId: string;
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
 * via the `definition` "FilePathArgs".
 */
export interface FilePathArgs {
  filePath: string;
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
   * v2: one folder (flat, the default), sub-folders by column name, or by column and course
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
 * What the restart found, for the recovery banner (contract-decisions.md §3).
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
