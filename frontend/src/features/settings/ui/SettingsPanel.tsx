import { useEffect, useMemo, useRef, useState } from 'react';
import { useT } from '../../../app/i18n';
import { folderProblem } from '../../../app/shell/folderProblem';
import { shellApi } from '../../../app/shell/shellApi';
import { useIsDesktop } from '../../../app/shell/useBridgeKind';
import { invoke } from '../../../bridge';
import { configStore, reportError, uiStore, useConfig, useUi } from '../../../stores';
import type { AppConfig } from '../../../types/generated/contract';
import { mergeConfig, rebaseDraft, type ConfigPatch } from '../state/configStore';
import { DOWNLOAD_NUMBERS, validateConfig } from '../state/validation';
import { HlsQualityField } from './HlsQualityField';
import { RateLimitField } from './RateLimitField';

const NUMBER_LABELS = {
  'concurrent-downloads': 'settings.concurrent',
  'max-connections': 'settings.connections',
  'hls-segments': 'settings.hlsSegments',
  'total-connections': 'settings.totalConnections',
  'retry-attempts': 'settings.retries',
  'timeout-seconds': 'settings.timeout',
  'connect-timeout': 'settings.connectTimeout',
} as const;
const shell = shellApi(invoke);
const NUMBERS = Object.fromEntries(DOWNLOAD_NUMBERS.map((field) => [field.id, field])) as {
  [F in (typeof DOWNLOAD_NUMBERS)[number] as F['id']]: F;
};

/**
 * Edits a draft of the config; Save checks it here (messages in the user's language), then sends it whole through
 * update_config, which checks it again. Closing with unsaved edits asks first; Reset to defaults asks first.
 */
export function SettingsPanel() {
  const t = useT();
  const config = useConfig((state) => state.config);
  const saving = useConfig((state) => state.saving);
  const desktop = useIsDesktop(); // the tray exists only for the desktop window
  const [draft, setDraft] = useState<AppConfig | null>(config);
  const [base, setBase] = useState<AppConfig | null>(config);
  const [showProblems, setShowProblems] = useState(false);
  const [folderTrouble, setFolderTrouble] = useState<string | null>(null);
  // The config changed under the form (saved here, or the header's language switch): keep what the user edited.
  if (config !== base) {
    setBase(config);
    setDraft(draft && base && config ? rebaseDraft(draft, base, config) : config);
  }
  const dirty = useMemo(() => JSON.stringify(draft) !== JSON.stringify(config), [draft, config]);
  const problems = useMemo(() => (draft ? validateConfig(draft) : {}), [draft]);
  useCloseGuard(dirty);
  if (!draft) return null;

  const download = draft.download;
  const advanced = draft.advanced;
  const ui = draft.ui;
  const edit = (patch: ConfigPatch) => setDraft((current) => (current ? mergeConfig(current, patch) : current));
  const number = (value: string) => (value === '' ? Number.NaN : Number(value));

  const save = async () => {
    if (Object.keys(problems).length > 0) {
      setShowProblems(true);
      uiStore.getState().toast('warning', t('settings.invalid'));
      return;
    }
    const folder = await checkedFolder(draft.download.output_directory);
    if (folder === null) return;
    const { download: section, advanced: a, ui: u } = draft;
    const d = { ...section, output_directory: folder };
    if (await configStore.getState().updateConfig({ download: d, advanced: a, ...(u ? { ui: u } : {}) })) {
      setShowProblems(false);
      uiStore.getState().toast('success', t('settings.saved'));
    }
  };

  /** The folder as the backend stores it (absolute, `~` expanded), or null when it cannot hold downloads (said
   * under the field) or could not be checked (reported). An unchanged folder is not asked about again. */
  const checkedFolder = async (folder: string): Promise<string | null> => {
    if (folder === config?.download.output_directory) return folder;
    try {
      const check = await shell.checkFolder(folder);
      if (check.usable) return check.path;
      setFolderTrouble(folderProblem(t, check));
    } catch (reason) {
      reportError(reason);
    }
    return null;
  };

  const reset = async () => {
    const answer = await uiStore.getState().ask({
      title: t('settings.reset.title'),
      message: t('settings.reset.message'),
      confirmLabel: t('settings.reset.confirm'),
      cancelLabel: t('settings.reset.keep'),
      danger: true,
    });
    if (!answer.confirmed) return;
    await configStore.getState().resetConfig();
    const defaults = configStore.getState().config;
    setBase(defaults); // unsaved edits go too: "reset" means every field
    setDraft(defaults);
    setShowProblems(false);
  };

  /** The problem under a field, once the user tried to save (or as soon as a number is out of bounds). */
  const problemOf = (id: string) => {
    const problem = problems[id];
    if (!problem || !showProblems) return null;
    return (
      <span className="setting-problem" id={`setting-${id}-problem`} data-testid={`setting-${id}-problem`}>
        {t(problem.key, problem.params)}
      </span>
    );
  };
  const invalid = (id: string) =>
    showProblems && problems[id] ? { 'aria-invalid': true, 'aria-describedby': `setting-${id}-problem` } : {};

  const text = (id: string, label: string, value: string | null | undefined, onChange: (v: string) => void) => (
    <label>
      {label}
      <input data-testid={`setting-${id}`} value={value ?? ''} onChange={(e) => onChange(e.target.value)} {...invalid(id)} />
      {problemOf(id)}
    </label>
  );
  const time = (id: string, label: string, value: string | null | undefined, onChange: (v: string | null) => void) => (
    <label>
      {label}
      <input type="time" data-testid={`setting-${id}`} value={value ?? ''} onChange={(e) => onChange(e.target.value || null)} {...invalid(id)} />
      {problemOf(id)}
    </label>
  );
  const numberField = (id: keyof typeof NUMBER_LABELS) => {
    const { key, min, max } = NUMBERS[id];
    return (
      <label>
        {t(NUMBER_LABELS[id])}
        <input
          type="number"
          data-testid={`setting-${id}`}
          min={min}
          max={max}
          step={1}
          value={Number.isNaN(download[key]) ? '' : download[key]}
          onChange={(e) => {
            setShowProblems(true);
            edit({ download: { [key]: number(e.target.value) } });
          }}
          {...invalid(id)}
        />
        {problemOf(id)}
      </label>
    );
  };
  const check = (id: string, label: string, value: boolean, onChange: (v: boolean) => void) => (
    <label className="check">
      <input type="checkbox" data-testid={`setting-${id}`} checked={value} onChange={(e) => onChange(e.target.checked)} />
      {label}
    </label>
  );

  return (
    <aside className="panel settings-panel" data-testid="settings-panel"
      aria-label={t('settings.title')}
      onKeyDown={(event) => event.key === 'Escape' && void uiStore.getState().togglePanel('settings', false)}
    >
      <header>
        <h2>{t('settings.title')}</h2>
        <button type="button" data-testid="settings-close" onClick={() => void uiStore.getState().togglePanel('settings', false)}>
          {t('settings.close')}
        </button>
      </header>
      <fieldset>
        <legend>{t('settings.download')}</legend>
        {text('output-directory', t('settings.outputDirectory'), download.output_directory, (v) => {
          setFolderTrouble(null);
          edit({ download: { output_directory: v } });
        })}
        {folderTrouble && (
          <span className="setting-problem" role="alert" data-testid="setting-output-directory-problem">{folderTrouble}</span>
        )}
        {numberField('concurrent-downloads')}
        {numberField('retry-attempts')}
      </fieldset>
      {ui && (
        <fieldset data-testid="settings-scheduler">
          <legend>{t('settings.scheduler')}</legend>
          {time('schedule-start', t('settings.scheduleStart'), ui.schedule_start_time, (v) => edit({ ui: { schedule_start_time: v } }))}
          {time('schedule-pause', t('settings.schedulePause'), ui.schedule_pause_time, (v) => edit({ ui: { schedule_pause_time: v } }))}
          <p className="hint-text">{t('settings.scheduleHint')}</p>
        </fieldset>
      )}
      {ui && (
        <fieldset>
          <legend>{t('settings.interface')}</legend>
          {check('show-notifications', t('settings.notifications'), ui.show_notifications, (v) => edit({ ui: { show_notifications: v } }))}
          {check('auto-start', t('settings.autoStart'), ui.auto_start_downloads, (v) => edit({ ui: { auto_start_downloads: v } }))}
          {check('show-completed', t('settings.showCompleted'), ui.show_completed_tasks, (v) => edit({ ui: { show_completed_tasks: v } }))}
          {desktop && check('minimize-to-tray', t('settings.tray'), ui.minimize_to_tray, (v) => edit({ ui: { minimize_to_tray: v } }))}
        </fieldset>
      )}
      <fieldset>
        <legend>{t('settings.network')}</legend>
        <RateLimitField
          value={advanced.rate_limit_mbps ?? null}
          onChange={(value) => {
            setShowProblems(true);
            edit({ advanced: { rate_limit_mbps: value } });
          }}
          invalid={invalid('rate-limit')}
          problem={problemOf('rate-limit')}
        />
        {numberField('max-connections')}
        {numberField('total-connections')}
        {numberField('hls-segments')}
        {numberField('timeout-seconds')}
        {numberField('connect-timeout')}
        {text('proxy', t('settings.proxy'), download.proxy, (v) => edit({ download: { proxy: v || null } }))}
        {text('user-agent', t('settings.userAgent'), download.user_agent, (v) => edit({ download: { user_agent: v } }))}
      </fieldset>
      <fieldset>
        <legend>{t('settings.media')}</legend>
        <HlsQualityField value={download.hls_quality} onChange={(v) => edit({ download: { hls_quality: v } })} />
        {text('ytdlp-format', t('settings.ytdlpFormat'), download.ytdlp_format, (v) => edit({ download: { ytdlp_format: v } }))}
        {text('ffmpeg-path', t('settings.ffmpegPath'), download.ffmpeg_path, (v) => edit({ download: { ffmpeg_path: v || null } }))}
      </fieldset>
      <fieldset>
        <legend>{t('settings.advanced')}</legend>
        <DebugPanelSwitch />
      </fieldset>
      <footer>
        <button type="button" className="primary" data-testid="settings-save" disabled={saving || !dirty} onClick={save}>
          {t('settings.save')}
        </button>
        <button type="button" data-testid="settings-reset" onClick={() => void reset()}>
          {t('settings.reset')}
        </button>
      </footer>
    </aside>
  );
}

/** While the draft differs from the saved config, closing the panel asks whether to drop the edits. */
function useCloseGuard(dirty: boolean) {
  const t = useT();
  const state = useRef({ dirty, t });
  state.current = { dirty, t };
  useEffect(() => {
    const ui = uiStore.getState();
    ui.setCloseGuard('settings', async () => {
      const { dirty: unsaved, t: translate } = state.current;
      if (!unsaved) return true;
      const answer = await uiStore.getState().ask({
        title: translate('settings.unsaved.title'),
        message: translate('settings.unsaved.message'),
        confirmLabel: translate('settings.unsaved.discard'),
        cancelLabel: translate('settings.unsaved.keep'),
        danger: true,
      });
      return answer.confirmed;
    });
    return () => ui.setCloseGuard('settings', null);
  }, []);
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
        onChange={(e) => void uiStore.getState().togglePanel('debug', e.target.checked)}
      />
      {t('settings.debugPanel')}
    </label>
  );
}
