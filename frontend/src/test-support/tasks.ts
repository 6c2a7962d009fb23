import type { VideoTask } from '../types/generated/contract';

/** A wire-shaped task (every key present, nulls included) with the given overrides. */
export function makeTask(overrides: Partial<VideoTask> & { id: string }): VideoTask {
  return {
    url: `https://example.test/${overrides.id}.mp4`,
    title: overrides.id,
    output_path: 'downloads',
    status: 'Pending',
    progress: 0,
    file_size: null,
    downloaded_size: 0,
    speed: 0,
    eta: null,
    error_message: null,
    error_code: null,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    downloader_type: 'Http',
    video_info: null,
    queued: false,
    priority: 0,
    file_path: null,
    routing_reason: null,
    retry_count: 0,
    max_retries: 0,
    engine_options: {},
    ...overrides,
  };
}
