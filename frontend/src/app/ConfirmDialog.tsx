import { useState } from 'react';
import { uiStore, useUi } from '../stores';
import { useT } from './i18n';

const SHOWN_ITEMS = 8;

export function ConfirmDialog() {
  const t = useT();
  const request = useUi((state) => state.confirm);
  const [option, setOption] = useState(false);
  const [text, setText] = useState<string | null>(null);
  if (!request) return null;
  const shown = text ?? request.field?.value ?? '';
  const answer = (confirmed: boolean) => {
    uiStore.getState().answer(confirmed, option, request.field ? shown : undefined);
    setOption(false);
    setText(null);
  };
  return (
    <div className="modal-backdrop" onKeyDown={(e) => e.key === 'Escape' && answer(false)}>
      <div className="modal" role="dialog" aria-modal="true" data-testid="confirm-dialog">
        <h2>{request.title}</h2>
        <p>{request.message}</p>
        {request.items && request.items.length > 0 && (
          <ul className="affected" data-testid="confirm-items">
            {request.items.slice(0, SHOWN_ITEMS).map((title, n) => (
              <li key={n}>{title}</li>
            ))}
            {request.items.length > SHOWN_ITEMS && <li>{t('confirm.andMore', { count: request.items.length - SHOWN_ITEMS })}</li>}
          </ul>
        )}
        {request.field && (
          <label className="field">
            {request.field.label}
            <input type="text" data-testid="confirm-field" value={shown} onChange={(e) => setText(e.target.value)} />
          </label>
        )}
        {request.option && (
          <label className="check">
            <input type="checkbox" data-testid="confirm-option" checked={option} onChange={(e) => setOption(e.target.checked)} />
            {request.option}
          </label>
        )}
        <footer>
          <button type="button" data-testid="confirm-cancel" onClick={() => answer(false)}>
            {t('confirm.cancel')}
          </button>
          <button type="button" data-testid="confirm-ok" className="primary" autoFocus onClick={() => answer(true)}>
            {request.confirmLabel ?? t('confirm.ok')}
          </button>
        </footer>
      </div>
    </div>
  );
}
