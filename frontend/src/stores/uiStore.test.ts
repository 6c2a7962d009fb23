import { describe, expect, it } from 'vitest';
import { createUiStore } from './uiStore';

const LABELS = { confirmLabel: 'Remove tasks', cancelLabel: 'Keep tasks' };

describe('ui store', () => {
  it('resolves a confirm request with the answer and the option', async () => {
    const s = createUiStore();
    const answer = s.getState().ask({ title: 'Remove?', message: 'x', option: 'delete files', ...LABELS });
    expect(s.getState().confirm?.title).toBe('Remove?');
    s.getState().answer(true, true);
    await expect(answer).resolves.toEqual({ confirmed: true, option: true });
    expect(s.getState().confirm).toBeNull();
  });

  it('cancels an older confirm when a new one opens', async () => {
    const s = createUiStore();
    const first = s.getState().ask({ title: 'one', message: '', ...LABELS });
    void s.getState().ask({ title: 'two', message: '', ...LABELS });
    await expect(first).resolves.toEqual({ confirmed: false, option: false });
    expect(s.getState().confirm?.title).toBe('two');
  });

  it('keeps at most five toasts and toggles panels', async () => {
    const s = createUiStore();
    for (let i = 0; i < 7; i += 1) s.getState().toast('info', `m${i}`);
    expect(s.getState().toasts.map((t) => t.message)).toEqual(['m2', 'm3', 'm4', 'm5', 'm6']);
    await s.getState().togglePanel('debug');
    expect(s.getState().panels.debug).toBe(true);
    await s.getState().togglePanel('debug', false);
    expect(s.getState().panels.debug).toBe(false);
  });

  it('keeps a detail only when it adds something', () => {
    const s = createUiStore();
    s.getState().toast('error', 'Download failed', 'HTTP 404 at /a.mp4');
    s.getState().toast('error', 'same', 'same');
    expect(s.getState().toasts.map((t) => t.detail)).toEqual(['HTTP 404 at /a.mp4', undefined]);
  });

  it('asks the close guard before a panel closes, and stays open when it says no', async () => {
    const s = createUiStore();
    await s.getState().togglePanel('settings', true);
    let allow = false;
    s.getState().setCloseGuard('settings', async () => allow);
    await s.getState().togglePanel('settings', false);
    expect(s.getState().panels.settings).toBe(true);
    allow = true;
    await s.getState().togglePanel('settings');
    expect(s.getState().panels.settings).toBe(false);
    s.getState().setCloseGuard('settings', null);
    await s.getState().togglePanel('settings', true);
    await s.getState().togglePanel('settings', false);
    expect(s.getState().panels.settings).toBe(false);
  });
});
