import { useT } from '../../../app/i18n';
import { bridgeKind } from '../../../bridge';
import { configStore, debugStore, uiStore, useConfig, useDebug, useDownloads } from '../../../stores';
import type { DiagnosticKey } from '../state/debugStore';
import { PingButton } from './PingButton';

const DIAGNOSTICS: { key: DiagnosticKey; label: 'debug.runtimeState' | 'debug.health' | 'debug.dump' }[] = [
  { key: 'runtimeState', label: 'debug.runtimeState' },
  { key: 'health', label: 'debug.health' },
  { key: 'dump', label: 'debug.dump' },
];

/** Diagnostics for a support session: runtime internals, health, recent warnings, and the runtime switch. */
export function DebugPanel() {
  const t = useT();
  const outputs = useDebug((state) => state.outputs);
  const warnings = useDebug((state) => state.warnings);
  const runtime = useDownloads((state) => state.runtime);
  const runtimeV2 = useConfig((state) => state.config?.advanced.download_runtime_v2 ?? true);

  return (
    <aside className="panel debug-panel" data-testid="debug-panel">
      <header>
        <h2>{t('debug.title')}</h2>
        <button type="button" data-testid="debug-close" onClick={() => uiStore.getState().togglePanel('debug', false)}>
          {t('settings.close')}
        </button>
      </header>
      <p>
        {t('debug.transport')}: <b data-testid="debug-transport">{bridgeKind()}</b> · {t('status.runtime')}:{' '}
        <b data-testid="debug-runtime">{runtime}</b>
      </p>
      <PingButton />
      <label className="check">
        <input
          type="checkbox"
          data-testid="runtime-v2-switch"
          checked={runtimeV2}
          onChange={(e) => configStore.getState().updateConfig({ advanced: { download_runtime_v2: e.target.checked } })}
        />
        {t('settings.runtimeV2')} <em>({t('settings.restartNote')})</em>
      </label>
      {DIAGNOSTICS.map(({ key, label }) => (
        <section key={key}>
          <h3>
            {t(label)}{' '}
            <button type="button" data-testid={`debug-fetch-${key}`} onClick={() => debugStore.getState().fetch(key)}>
              {t('debug.fetch')}
            </button>
          </h3>
          {outputs[key] && <pre data-testid={`debug-output-${key}`}>{outputs[key]}</pre>}
        </section>
      ))}
      <h3>{t('debug.warnings')}</h3>
      <ul data-testid="debug-warnings">
        {warnings.length === 0 && <li>{t('debug.noWarnings')}</li>}
        {warnings.map((warning, index) => (
          <li key={`${warning.at}-${index}`} data-code={warning.code}>
            <code>{warning.at.slice(11, 19)}</code> <b>{warning.code}</b> {warning.task_id ?? ''} {warning.message}
          </li>
        ))}
      </ul>
    </aside>
  );
}
