import { describe, expect, it } from 'vitest';
import { createUiStore } from './uiStore';

describe('ui store', () => {
  it('resolves a confirm request with the answer and the option', async () => {
    const s = createUiStore();
    const answer = s.getState().ask({ title: 'Remove?', message: 'x', option: 'delete files' });
    expect(s.getState().confirm?.title).toBe('Remove?');
    s.getState().answer(true, true);
    await expect(answer).resolves.toEqual({ confirmed: true, option: true });
    expect(s.getState().confirm).toBeNull();
  });

  it('cancels an older confirm when a new one opens', async () => {
    const s = createUiStore();
    const first = s.getState().ask({ title: 'one', message: '' });
    void s.getState().ask({ title: 'two', message: '' });
    await expect(first).resolves.toEqual({ confirmed: false, option: false });
    expect(s.getState().confirm?.title).toBe('two');
  });

  it('keeps at most five toasts and toggles panels', () => {
    const s = createUiStore();
    for (let i = 0; i < 7; i += 1) s.getState().toast('info', `m${i}`);
    expect(s.getState().toasts.map((t) => t.message)).toEqual(['m2', 'm3', 'm4', 'm5', 'm6']);
    s.getState().togglePanel('debug');
    expect(s.getState().panels.debug).toBe(true);
    s.getState().togglePanel('debug', false);
    expect(s.getState().panels.debug).toBe(false);
  });
});
