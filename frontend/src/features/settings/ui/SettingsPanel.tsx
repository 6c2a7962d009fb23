import { useEffect, useState } from 'react';
import { useT } from '../../../app/i18n';
import { configStore, uiStore, useConfig, useUi } from '../../../stores';
import type { AppConfig } from '../../../types/generated/contract';
import { mergeConfig, type ConfigPatch } from '../state/configStore';

/** Edits a draft of the config; Save sends it whole through update_config, the backend validates it. */
export function SettingsPanel() {
  const t = useT();
  const config = useConfig((state) => state.config);
  const saving = useConfig((state) => state.saving);
  const [draft, setDraft] = useState<AppConfig | null>(config);
  useEffect(() => setDraft(config), [config]);
  if (!draft) return null;

  const download = draft.download;
  const advanced = draft.advanced;
  const ui = draft.ui;
  const edit = (patch: ConfigPatch) => setDraft((current) => (current ? mergeConfig(current, patch) : current));
  const number = (value: string) => (value === '' ? 0 : Number(value));

  const save = async () => {
    const { download: d, advanced: a, ui: u } = draft;
    if (await configStore.getState().updateConfig({ download: d, advanced: a, ...(u ? { ui: u } : {}) })) {
      uiStore.getState().toast('success', t('settings.saved'));
    }
  };

  const text = (id: string, label: string, value: string | null | undefined, onChange: (v: string) => void) => (
    <label>
      {label}
      <input data-testid={`setting-${id}`} value={value ?? ''} onChange={(e) => onChange(e.target.value)} />
    </label>
  );
  const num = (id: string, label: string, value: number, min: number, max: number, onChange: (v: number) => void) => (
    <label>
      {label}
      <input
        type="number"
        data-testid={`setting-${id}`}
        min={min}
        max={max}
        value={value}
        onChange={(e) => onChange(number(e.target.value))}
      />
    </label>
  );
  const check = (id: string, label: string, value: boolean, onChange: (v: boolean) => void) => (
    <label className="check">
      <input type="checkbox" data-testid={`setting-${id}`} checked={value} onChange={(e) => onChange(e.target.checked)} />
      {label}
    </label>
  );

  return (
    <aside className="panel settings-panel" data-testid="settings-panel">
      <header>
        <h2>{t('settings.title')}</h2>
        <button type="button" data-testid="settings-close" onClick={() => uiStore.getState().togglePanel('settings', false)}>
          {t('settings.close')}
        </button>
      </header>
      <fieldset>
        <legend>{t('settings.download')}</legend>
        {text('output-directory', t('settings.outputDirectory'), download.output_directory, (v) => edit({ download: { output_directory: v } }))}
        {num('concurrent-downloads', t('settings.concurrent'), download.concurrent_downloads, 1, 64, (v) => edit({ download: { concurrent_downloads: v } }))}
        {num('max-connections', t('settings.connections'), download.max_connections_per_download, 1, 32, (v) => edit({ download: { max_connections_per_download: v } }))}
        {num('hls-segments', t('settings.hlsSegments'), download.hls_segment_concurrency, 1, 32, (v) => edit({ download: { hls_segment_concurrency: v } }))}
        {num('total-connections', t('settings.totalConnections'), download.max_total_connections, 1, 256, (v) => edit({ download: { max_total_connections: v } }))}
        {num('retry-attempts', t('settings.retries'), download.retry_attempts, 0, 10, (v) => edit({ download: { retry_attempts: v } }))}
        {num('timeout-seconds', t('settings.timeout'), download.timeout_seconds, 1, 3600, (v) => edit({ download: { timeout_seconds: v } }))}
        {num('connect-timeout', t('settings.connectTimeout'), download.connect_timeout_seconds, 1, 300, (v) => edit({ download: { connect_timeout_seconds: v } }))}
        {text('proxy', t('settings.proxy'), download.proxy, (v) => edit({ download: { proxy: v || null } }))}
        {text('user-agent', t('settings.userAgent'), download.user_agent, (v) => edit({ download: { user_agent: v } }))}
        {text('hls-quality', t('settings.hlsQuality'), download.hls_quality, (v) => edit({ download: { hls_quality: v } }))}
        {text('ytdlp-format', t('settings.ytdlpFormat'), download.ytdlp_format, (v) => edit({ download: { ytdlp_format: v } }))}
        {text('ffmpeg-path', t('settings.ffmpegPath'), download.ffmpeg_path, (v) => edit({ download: { ffmpeg_path: v || null } }))}
      </fieldset>
      {ui && (
        <fieldset>
          <legend>{t('settings.interface')}</legend>
          {check('show-notifications', t('settings.notifications'), ui.show_notifications, (v) => edit({ ui: { show_notifications: v } }))}
          {check('auto-start', t('settings.autoStart'), ui.auto_start_downloads, (v) => edit({ ui: { auto_start_downloads: v } }))}
          {check('show-completed', t('settings.showCompleted'), ui.show_completed_tasks, (v) => edit({ ui: { show_completed_tasks: v } }))}
        </fieldset>
      )}
      <fieldset>
        <legend>{t('settings.advanced')}</legend>
        <label>
          {t('settings.rateLimit')}
          <input
            type="number"
            data-testid="setting-rate-limit"
            min={0}
            value={advanced.rate_limit_mbps ?? ''}
            onChange={(e) => edit({ advanced: { rate_limit_mbps: e.target.value === '' ? null : Number(e.target.value) } })}
          />
        </label>
        <DebugPanelSwitch />
      </fieldset>
      <footer>
        <button type="button" data-testid="settings-save" disabled={saving} onClick={save}>
          {t('settings.save')}
        </button>
        <button type="button" data-testid="settings-reset" onClick={() => configStore.getState().resetConfig()}>
          {t('settings.reset')}
        </button>
      </footer>
    </aside>
  );
}

function DebugPanelSwitch() {
  const t = useT();
  const open = useUi((state) => state.panels.debug);
  return (
    <label className="check">
      <input
        type="checkbox"
        data-testid="setting-debug-panel"
        checked={open}
        onChange={(e) => uiStore.getState().togglePanel('debug', e.target.checked)}
      />
      {t('settings.debugPanel')}
    </label>
  );
}
