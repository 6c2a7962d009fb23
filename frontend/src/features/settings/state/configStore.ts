/** The app config as the backend holds it; every change goes through `update_config` before it shows. */
import { createStore } from 'zustand/vanilla';
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

/**
 * A draft carried over to a config that changed under it (the header's language or theme switch, another window):
 * the keys the user edited keep the draft's value, every other key takes the new config's.
 */
export function rebaseDraft(draft: AppConfig, base: AppConfig, next: AppConfig): AppConfig {
  const sections = (config: AppConfig) => config as unknown as Record<string, Record<string, unknown> | null>;
  const result: Record<string, unknown> = { ...next };
  for (const [name, edited] of Object.entries(sections(draft))) {
    const before = sections(base)[name];
    const after = sections(next)[name];
    if (!edited || !after) continue;
    const merged = { ...after };
    for (const [key, value] of Object.entries(edited)) {
      if (JSON.stringify(value) !== JSON.stringify(before?.[key])) merged[key] = value;
    }
    result[name] = merged;
  }
  return result as unknown as AppConfig;
}

/** `report` shows a failed command (the app translates it by its code). */
export function createConfigStore(invoke: Invoke, report: (reason: unknown) => void) {
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
        report(reason);
        return false;
      } finally {
        set({ saving: false });
      }
    }

    return {
      config: null,
      saving: false,

      async loadConfig() {
        // In the queue of updates: a change made while the config loads waits for it (applied to no config at all,
        // it was dropped: a theme picked in the first moments after start stayed unpicked).
        const load = updates.then(async () => {
          try {
            set({ config: await api.get() });
          } catch (reason) {
            report(reason);
          }
        });
        updates = load;
        await load;
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
          report(reason);
        }
      },
    };
  });
}
