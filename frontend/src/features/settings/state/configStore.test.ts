import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeBackend, type FakeBackend } from '../../../test-support/fakeBackend';
import type { AppConfig } from '../../../types/generated/contract';
import { errorText } from '../../../bridge/errors';
import { createConfigStore, mergeConfig, rebaseDraft } from './configStore';

const CONFIG = {
  download: { concurrent_downloads: 3, output_directory: 'downloads' },
  ui: { theme: 'system', language: 'zh-CN' },
  advanced: { download_runtime_v2: true },
  system: null,
  youtube: null,
} as unknown as AppConfig;

let backend: FakeBackend;
beforeEach(async () => {
  backend = await startFakeBackend();
  backend.on('get_config', { result: CONFIG });
});
afterEach(() => backend.close());

describe('config store', () => {
  it('merges a patch per section without touching the others', () => {
    const next = mergeConfig(CONFIG, { ui: { language: 'en' } });
    expect(next.ui).toEqual({ theme: 'system', language: 'en' });
    expect(next.download).toBe(CONFIG.download);
  });

  it('carries edited keys over to a config that changed underneath, and takes the rest from it', () => {
    const draft = mergeConfig(CONFIG, { download: { concurrent_downloads: 9 } });
    const next = mergeConfig(CONFIG, { ui: { language: 'en' }, download: { output_directory: '/elsewhere' } });
    const rebased = rebaseDraft(draft, CONFIG, next);
    expect(rebased.download).toEqual({ concurrent_downloads: 9, output_directory: '/elsewhere' });
    expect(rebased.ui).toEqual({ theme: 'system', language: 'en' });
    expect(rebaseDraft(CONFIG, CONFIG, next)).toEqual(next);
  });

  it('sends the whole new config as newConfig and keeps it once accepted', async () => {
    backend.on('update_config', { result: null });
    const errors: string[] = [];
    const s = createConfigStore(backend.invoke, (reason) => errors.push(errorText(reason)));
    await s.getState().loadConfig();
    expect(await s.getState().updateConfig({ advanced: { download_runtime_v2: false } })).toBe(true);
    const sent = backend.calls.find((c) => c.command === 'update_config')?.args as { newConfig: AppConfig };
    expect(sent.newConfig.advanced.download_runtime_v2).toBe(false);
    expect(sent.newConfig.download.concurrent_downloads).toBe(3);
    expect(s.getState().config?.advanced.download_runtime_v2).toBe(false);
    expect(errors).toEqual([]);
  });

  it('applies quick successive changes in order, each on top of the one before', async () => {
    backend.on('update_config', { result: null });
    const s = createConfigStore(backend.invoke, () => undefined);
    await s.getState().loadConfig();
    const theme = s.getState().updateConfig({ ui: { theme: 'light' } });
    const language = s.getState().updateConfig({ ui: { language: 'en' } });
    expect(await Promise.all([theme, language])).toEqual([true, true]);
    const sent = backend.calls.filter((c) => c.command === 'update_config').map((c) => (c.args as { newConfig: AppConfig }).newConfig.ui);
    expect(sent.at(-1)).toMatchObject({ theme: 'light', language: 'en' });
    expect(s.getState().config?.ui).toMatchObject({ theme: 'light', language: 'en' });
  });

  it('applies a change made while the config is still loading, once it has loaded', async () => {
    let answer: (value: unknown) => void = () => undefined;
    const held = new Promise((resolve) => { answer = resolve; });
    backend.on('get_config', async () => {
      await held;
      return { result: CONFIG };
    });
    backend.on('update_config', { result: null });
    const s = createConfigStore(backend.invoke, () => undefined);
    const loading = s.getState().loadConfig();
    const change = s.getState().updateConfig({ ui: { theme: 'dark' } });
    await expect.poll(() => backend.calls.some((c) => c.command === 'get_config')).toBe(true);
    answer(null);
    await loading;
    expect(await change).toBe(true);
    expect(s.getState().config?.ui?.theme).toBe('dark');
  });

  it('keeps the old config and reports the error when the backend refuses', async () => {
    backend.on('update_config', { error: 'Configuration error: proxy must be a URL' });
    const errors: string[] = [];
    const s = createConfigStore(backend.invoke, (reason) => errors.push(errorText(reason)));
    await s.getState().loadConfig();
    expect(await s.getState().updateConfig({ download: { proxy: 'nonsense' } })).toBe(false);
    expect(s.getState().config).toEqual(CONFIG);
    expect(errors).toEqual(['Configuration error: proxy must be a URL']);
  });
});
