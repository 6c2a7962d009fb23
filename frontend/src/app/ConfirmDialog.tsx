import * as Dialog from '@radix-ui/react-dialog';
import { useRef, useState } from 'react';
import { uiStore, useUi } from '../stores';
import { useT } from './i18n';

const SHOWN_ITEMS = 8;

/**
 * The one confirmation dialog (Radix: focus trap, Escape, aria wiring). Its buttons name the action, and the safe
 * answer has the focus, so Enter or Escape right after it opens never destroys anything; a dialog with a text field
 * focuses the field instead.
 */
export function ConfirmDialog() {
  const t = useT();
  const request = useUi((state) => state.confirm);
  const [option, setOption] = useState(false);
  const [text, setText] = useState<string | null>(null);
  const safe = useRef<HTMLButtonElement>(null);
  const field = useRef<HTMLInputElement>(null);
  if (!request) return null;
  const shown = text ?? request.field?.value ?? '';
  const answer = (confirmed: boolean) => {
    uiStore.getState().answer(confirmed, option, request.field ? shown : undefined);
    setOption(false);
    setText(null);
  };
  return (
    <Dialog.Root open onOpenChange={(open) => !open && answer(false)}>
      <Dialog.Portal>
        <Dialog.Overlay className="modal-backdrop" />
        <Dialog.Content
          className="modal"
          data-testid="confirm-dialog"
          data-danger={request.danger ? 'true' : 'false'}
          onOpenAutoFocus={(event) => {
            event.preventDefault();
            (field.current ?? safe.current)?.focus();
          }}
        >
          <Dialog.Title>{request.title}</Dialog.Title>
          <Dialog.Description>{request.message}</Dialog.Description>
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
              <input ref={field} type="text" data-testid="confirm-field" value={shown} onChange={(e) => setText(e.target.value)} />
            </label>
          )}
          {request.option && (
            <label className="check">
              <input type="checkbox" data-testid="confirm-option" checked={option} onChange={(e) => setOption(e.target.checked)} />
              {request.option}
            </label>
          )}
          <footer>
            <button ref={safe} type="button" data-testid="confirm-cancel" onClick={() => answer(false)}>
              {request.cancelLabel}
            </button>
            <button
              type="button"
              data-testid="confirm-ok"
              className={request.danger ? 'danger' : 'primary'}
              onClick={() => answer(true)}
            >
              {request.confirmLabel}
            </button>
          </footer>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
