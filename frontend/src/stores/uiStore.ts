/** Transient UI state: toasts, the confirm dialog and which panels are open. */
import { createStore } from 'zustand/vanilla';

export type ToastKind = 'success' | 'error' | 'warning' | 'info';

export interface Toast {
  id: number;
  kind: ToastKind;
  message: string;
}

export interface ConfirmAnswer {
  confirmed: boolean;
  option: boolean;
  text?: string;
}

export interface ConfirmRequest {
  title: string;
  message: string;
  confirmLabel?: string;
  /** Extra checkbox (e.g. "also delete the files"); its value is passed to the resolver. */
  option?: string;
  /** The tasks the action touches, by title (the dialog lists the first ones and counts the rest). */
  items?: string[];
  /** A text field (label and starting value) whose final text comes back as `text`. */
  field?: { label: string; value: string };
  resolve(result: ConfirmAnswer): void;
}

export type Panel = 'settings' | 'import' | 'debug';

export interface UiState {
  toasts: Toast[];
  confirm: ConfirmRequest | null;
  panels: Record<Panel, boolean>;
  toast(kind: ToastKind, message: string): void;
  dismissToast(id: number): void;
  /** Resolves when the user answers the dialog. */
  ask(request: Omit<ConfirmRequest, 'resolve'>): Promise<ConfirmAnswer>;
  answer(confirmed: boolean, option: boolean, text?: string): void;
  togglePanel(panel: Panel, open?: boolean): void;
}

const TOAST_MS: Record<ToastKind, number> = { success: 4000, info: 4000, warning: 5000, error: 6000 };
const MAX_TOASTS = 5;

export function createUiStore() {
  let nextId = 1;
  return createStore<UiState>()((set, get) => ({
    toasts: [],
    confirm: null,
    panels: { settings: false, import: false, debug: false },

    toast(kind, message) {
      const id = nextId++;
      set((state) => ({ toasts: [...state.toasts, { id, kind, message }].slice(-MAX_TOASTS) }));
      setTimeout(() => get().dismissToast(id), TOAST_MS[kind]);
    },

    dismissToast(id) {
      set((state) => ({ toasts: state.toasts.filter((toast) => toast.id !== id) }));
    },

    ask(request) {
      get().confirm?.resolve({ confirmed: false, option: false });
      return new Promise((resolve) => set({ confirm: { ...request, resolve } }));
    },

    answer(confirmed, option, text) {
      const pending = get().confirm;
      set({ confirm: null });
      pending?.resolve({ confirmed, option, text });
    },

    togglePanel(panel, open) {
      set((state) => ({ panels: { ...state.panels, [panel]: open ?? !state.panels[panel] } }));
    },
  }));
}
