/** The app config as the backend holds it; every change goes through `update_config` before it shows. */
import { createStore } from 'zustand/vanilla';
import { errorText } from '../../../bridge';
import type { Invoke } from '../../../lib/invoke';
import type { AppConfig } from '../../../types/generated/contract';
import { configApi } from '../api/configApi';

type Sections = { [K in keyof AppConfig]-?: NonNullable<AppConfig[K]> };

/** A change to some keys of some sections. */
export type ConfigPatch = { [K in keyof Sections]?: Partial<Sections[K]> };

export interface ConfigState {
  config: AppConfig | null;
  saving: boolean;
  loadConfig(): Promise<void>;
  updateConfig(patch: ConfigPatch): Promise<boolean>;
  resetConfig(): Promise<void>;
}

export function mergeConfig(config: AppConfig, patch: ConfigPatch): AppConfig {
  const next: Record<string, unknown> = { ...config };
  for (const [section, values] of Object.entries(patch)) {
    next[section] = { ...((config as unknown as Record<string, object | null>)[section] ?? {}), ...values };
  }
  return next as unknown as AppConfig;
}

export function createConfigStore(invoke: Invoke, notify: (message: string) => void) {
  const api = configApi(invoke);
  // Updates run one after another: each patch merges onto the config the previous one left, so two quick
  // changes (theme, then language) both stick instead of the second resending the first's old value.
  let updates: Promise<unknown> = Promise.resolve();

  return createStore<ConfigState>()((set, get) => {
    async function applyPatch(patch: ConfigPatch): Promise<boolean> {
      const current = get().config;
      if (!current) return false;
      const next = mergeConfig(current, patch);
      set({ saving: true });
      try {
        await api.update(next);
        set({ config: next });
        return true;
      } catch (reason) {
        notify(errorText(reason));
        return false;
      } finally {
        set({ saving: false });
      }
    }

    return {
      config: null,
      saving: false,

      async loadConfig() {
        try {
          set({ config: await api.get() });
        } catch (reason) {
          notify(errorText(reason));
        }
      },

      updateConfig(patch) {
        const result = updates.then(() => applyPatch(patch));
        updates = result;
        return result;
      },

      async resetConfig() {
        try {
          set({ config: await api.reset() });
        } catch (reason) {
          notify(errorText(reason));
        }
      },
    };
  });
}
