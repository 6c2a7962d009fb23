import { uiStore, useUi } from '../stores';

export function Toasts() {
  const toasts = useUi((state) => state.toasts);
  return (
    <div className="toasts" data-testid="toasts" aria-live="polite">
      {toasts.map((toast) => (
        <div key={toast.id} className={`toast toast-${toast.kind}`} data-testid="toast" data-kind={toast.kind}>
          <span>{toast.message}</span>
          <button type="button" aria-label="×" onClick={() => uiStore.getState().dismissToast(toast.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
