import { en, type MessageKey, type Messages } from './en';
import { zhCN } from './zh-CN';

export type { MessageKey };

export const LANGUAGES = { en: 'English', 'zh-CN': '简体中文' } as const;
export type Language = keyof typeof LANGUAGES;

const CATALOGS: Record<Language, Messages> = { en, 'zh-CN': zhCN };

/** Config values such as `en-US` or `zh` map to the closest catalog; unknown ones fall back to English. */
export function resolveLanguage(value: string | null | undefined): Language {
  const lower = (value ?? '').toLowerCase();
  if (lower.startsWith('zh')) return 'zh-CN';
  return 'en';
}

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

export function translator(language: Language): Translate {
  const catalog = CATALOGS[language];
  return (key, params) => {
    const text = catalog[key] ?? en[key] ?? key;
    return params ? text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole)) : text;
  };
}

/** Whether `key` names a message (for keys built at run time, such as `error.<code>`). */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(en, key);
}

export function catalogs(): Record<Language, Messages> {
  return CATALOGS;
}
