/** Transient UI state: toasts, the confirm dialog and which panels are open. */
import { createStore } from 'zustand/vanilla';

export type ToastKind = 'success' | 'error' | 'warning' | 'info';

export interface Toast {
  id: number;
  kind: ToastKind;
  message: string;
  /** The backend's own text under a translated message (kept for support, shown smaller). */
  detail?: string;
}

export interface ConfirmAnswer {
  confirmed: boolean;
  option: boolean;
  text?: string;
}

export interface ConfirmRequest {
  title: string;
  message: string;
  /** The buttons name the action ("Cancel download" / "Keep downloading"), never a bare OK/Cancel. */
  confirmLabel: string;
  cancelLabel: string;
  /** The action destroys something (files, tasks, settings): the confirm button is styled as such. */
  danger?: boolean;
  /** Extra checkbox (e.g. "also delete the files"); its value is passed to the resolver. */
  option?: string;
  /** The tasks the action touches, by title (the dialog lists the first ones and counts the rest). */
  items?: string[];
  /** A text field (label and starting value) whose final text comes back as `text`. */
  field?: { label: string; value: string };
  resolve(result: ConfirmAnswer): void;
}

export type Panel = 'settings' | 'import' | 'debug';

/** Asked before a panel closes (Settings with unsaved edits); answers whether it may close. */
export type CloseGuard = () => Promise<boolean>;

export interface UiState {
  toasts: Toast[];
  confirm: ConfirmRequest | null;
  panels: Record<Panel, boolean>;
  /** A sheet dropped on the window, waiting for the import panel to take it. */
  droppedSheet: File | null;
  dropSheet(file: File | null): void;
  toast(kind: ToastKind, message: string, detail?: string): void;
  dismissToast(id: number): void;
  /** Resolves when the user answers the dialog. */
  ask(request: Omit<ConfirmRequest, 'resolve'>): Promise<ConfirmAnswer>;
  answer(confirmed: boolean, option: boolean, text?: string): void;
  /** Opens or closes a panel; closing asks the panel's guard first (so unsaved edits are never dropped silently). */
  togglePanel(panel: Panel, open?: boolean): Promise<void>;
  setCloseGuard(panel: Panel, guard: CloseGuard | null): void;
}

const TOAST_MS: Record<ToastKind, number> = { success: 4000, info: 4000, warning: 5000, error: 6000 };
const MAX_TOASTS = 5;

export function createUiStore() {
  let nextId = 1;
  const guards: Partial<Record<Panel, CloseGuard>> = {};
  return createStore<UiState>()((set, get) => ({
    toasts: [],
    confirm: null,
    panels: { settings: false, import: false, debug: false },
    droppedSheet: null,

    dropSheet(file) {
      set({ droppedSheet: file });
    },

    toast(kind, message, detail) {
      const id = nextId++;
      const toast: Toast = detail && detail !== message ? { id, kind, message, detail } : { id, kind, message };
      set((state) => ({ toasts: [...state.toasts, toast].slice(-MAX_TOASTS) }));
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

    async togglePanel(panel, open) {
      const next = open ?? !get().panels[panel];
      if (next === get().panels[panel]) return;
      const guard = guards[panel];
      if (!next && guard && !(await guard())) return;
      set((state) => ({ panels: { ...state.panels, [panel]: next } }));
    },

    setCloseGuard(panel, guard) {
      if (guard) guards[panel] = guard;
      else delete guards[panel];
    },
  }));
}
