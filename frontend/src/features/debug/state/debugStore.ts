/** What the debug panel shows: the latest diagnostics outputs and the recent runtime warnings. */
import { createStore } from 'zustand/vanilla';
import { errorText } from '../../../bridge';
import type { Invoke } from '../../../lib/invoke';
import type { RuntimeWarningEvent } from '../../../types/generated/contract';
import { debugApi } from '../api/debugApi';

export const MAX_WARNINGS = 50;

export interface StampedWarning extends RuntimeWarningEvent {
  at: string;
}

export type DiagnosticKey = 'runtimeState' | 'health' | 'dump';

export interface DebugState {
  warnings: StampedWarning[];
  outputs: Partial<Record<DiagnosticKey, string>>;
  recordWarnings(warnings: RuntimeWarningEvent[]): void;
  fetch(key: DiagnosticKey): Promise<void>;
}

export function createDebugStore(invoke: Invoke) {
  const api = debugApi(invoke);
  return createStore<DebugState>()((set) => ({
    warnings: [],
    outputs: {},

    recordWarnings(warnings) {
      const at = new Date().toISOString();
      set((state) => ({ warnings: [...warnings.map((w) => ({ ...w, at })).reverse(), ...state.warnings].slice(0, MAX_WARNINGS) }));
    },

    async fetch(key) {
      let text: string;
      try {
        text = JSON.stringify(await api[key](), null, 2);
      } catch (reason) {
        text = `error: ${errorText(reason)}`;
      }
      set((state) => ({ outputs: { ...state.outputs, [key]: text } }));
    },
  }));
}
