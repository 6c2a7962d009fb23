// @vitest-environment jsdom
import { act, createElement } from 'react';
import { beforeEach, describe, expect, it } from 'vitest';
import { configStore } from '../../../stores';
import { domRoot } from '../../../test-support/dom';
import { HlsQualityField } from './HlsQualityField';

const dom = domRoot();
let sent: string[] = [];
const show = (value: string) => dom.render(createElement(HlsQualityField, { value, onChange: (v) => sent.push(v) }));
const select = () => dom.host.querySelector<HTMLSelectElement>('[data-testid=setting-hls-quality]')!;
const labels = () => [...select().options].map((option) => option.textContent);

beforeEach(() => {
  configStore.setState({ config: { ui: { language: 'zh-CN' } } } as never);
  sent = [];
});

describe('the HLS quality setting', () => {
  it('offers the engine choices in the user language, the current one chosen', () => {
    show('720');
    expect(labels()).toEqual(['最高画质', '最高 1080p', '最高 720p', '最高 480p', '最高 360p', '最低画质（最省流量）']);
    expect(select().value).toBe('720');
  });

  it('keeps a value set elsewhere among the choices', () => {
    show('540');
    expect(labels().at(-1)).toBe('最高 540p');
    expect(select().value).toBe('540');
  });

  it('sends the engine word of the choice', () => {
    show('highest');
    act(() => {
      select().value = 'lowest';
      select().dispatchEvent(new Event('change', { bubbles: true }));
    });
    expect(sent).toEqual(['lowest']);
  });
});
