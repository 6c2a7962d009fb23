// @vitest-environment jsdom
import { act, createElement, useState } from 'react';
import { beforeEach, describe, expect, it } from 'vitest';
import { configStore } from '../../../stores';
import { domRoot } from '../../../test-support/dom';
import { RateLimitField } from './RateLimitField';

const dom = domRoot();
let sent: (number | null)[] = [];

/** The field as the settings form holds it: every value it sends becomes its value. */
function Form({ initial }: { initial: number | null }) {
  const [value, setValue] = useState(initial);
  const onChange = (next: number | null) => {
    sent.push(next);
    setValue(next);
  };
  return createElement(RateLimitField, { value, onChange, invalid: {}, problem: null });
}

const open = (initial: number | null) => dom.render(createElement(Form, { initial }));
/** The field given `value` from outside (a reset to defaults). */
const show = (value: number | null) =>
  dom.render(createElement(RateLimitField, { value, onChange: () => {}, invalid: {}, problem: null }));
const field = () => dom.host.querySelector<HTMLInputElement>('[data-testid=setting-rate-limit]')!;

/** What a keystroke does to a React-controlled input: the DOM value set natively, then an input event. */
function type(text: string) {
  act(() => {
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(field(), text);
    field().dispatchEvent(new Event('input', { bubbles: true }));
  });
}

beforeEach(() => {
  configStore.setState({ config: { ui: { language: 'zh-CN' } } } as never);
  sent = [];
});

describe('the speed-limit field in the settings', () => {
  it('keeps every step of "0.5" as typed, and sends the limit once it is one', () => {
    open(null);
    for (const step of ['0', '0.', '0.5']) type(step);
    expect(field().value).toBe('0.5');
    expect(sent.slice(0, 2).every(Number.isNaN)).toBe(true);
    expect(sent[2]).toBe(0.5);
  });

  it('keeps "-5" and "0" on screen and sends them as not a limit, never as no limit', () => {
    open(3);
    for (const wrong of ['-5', '0']) {
      type(wrong);
      expect(field().value).toBe(wrong);
      expect(sent.at(-1)).toBeNaN();
    }
    type('');
    expect(sent.at(-1)).toBeNull();
  });

  it('shows a value changed under it (reset to defaults)', () => {
    show(4);
    expect(field().value).toBe('4');
    show(null);
    expect(field().value).toBe('');
    show(2.5);
    expect(field().value).toBe('2.5');
  });

  it('is labelled with its unit in the user language', () => {
    show(null);
    expect(field().closest('label')!.textContent).toContain('限速（Mbit/s');
  });
});
