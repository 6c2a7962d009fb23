import { describe, expect, it } from 'vitest';
import { catalogs, resolveLanguage, translator } from './index';

describe('i18n', () => {
  it('has every key in every language, none empty', () => {
    const all = catalogs();
    const keys = Object.keys(all.en).sort();
    for (const [language, messages] of Object.entries(all)) {
      expect(Object.keys(messages).sort(), language).toEqual(keys);
      for (const [key, text] of Object.entries(messages)) expect(text.trim(), `${language} ${key}`).not.toBe('');
    }
  });

  it('keeps the same placeholders in every language', () => {
    const all = catalogs();
    const placeholders = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort();
    for (const [key, text] of Object.entries(all.en)) {
      expect(placeholders(all['zh-CN'][key as keyof typeof all.en]), key).toEqual(placeholders(text));
    }
  });

  it('fills placeholders', () => {
    expect(translator('en')('task.retrying', { attempt: 2, max: 5 })).toBe('retrying 2/5');
    expect(translator('zh-CN')('task.retrying', { attempt: 2, max: 5 })).toBe('重试中 2/5');
  });

  it('maps config language values to a catalog', () => {
    expect(resolveLanguage('zh-CN')).toBe('zh-CN');
    expect(resolveLanguage('en-US')).toBe('en');
    expect(resolveLanguage('fr')).toBe('en');
    expect(resolveLanguage(undefined)).toBe('en');
  });
});
