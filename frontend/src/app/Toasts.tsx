import { X } from 'lucide-react';
import { uiStore, useUi } from '../stores';
import { useT } from './i18n';

/** Transient messages; an error keeps the backend's own text as a smaller detail line. */
export function Toasts() {
  const t = useT();
  const toasts = useUi((state) => state.toasts);
  return (
    <div className="toasts" data-testid="toasts" aria-live="polite">
      {toasts.map((toast) => (
        <div key={toast.id} className={`toast toast-${toast.kind}`} data-testid="toast" data-kind={toast.kind}>
          <span>
            <span data-testid="toast-message">{toast.message}</span>
            {toast.detail && (
              <small className="toast-detail" data-testid="toast-detail">
                {toast.detail}
              </small>
            )}
          </span>
          <button type="button" aria-label={t('toast.dismiss')} onClick={() => uiStore.getState().dismissToast(toast.id)}>
            <X size={14} aria-hidden />
          </button>
        </div>
      ))}
    </div>
  );
}
