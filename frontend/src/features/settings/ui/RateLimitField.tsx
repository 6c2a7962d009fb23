import { useState, type ReactNode } from 'react';
import { useT } from '../../../app/i18n';
import { rateLimitFromField } from '../rateLimit';

interface Props {
  /** The draft's `advanced.rate_limit_mbps`: null for no limit, NaN while the text is not a valid limit. */
  value: number | null;
  onChange: (value: number | null) => void;
  /** aria-invalid and aria-describedby while a problem is shown. */
  invalid: Record<string, unknown>;
  problem: ReactNode;
}

/**
 * The global speed limit, kept as the user types it. A number field would not do: the browser hands over "" for
 * "0." or "-" while they are being typed, so "0.5" came out as ".5" and "-5" or "0" silently as no limit. A text
 * that is not a limit is sent as NaN, which the form's check says is wrong, under the field, before anything is
 * saved.
 */
export function RateLimitField({ value, onChange, invalid, problem }: Props) {
  const t = useT();
  const [text, setText] = useState(() => textOf(value));
  const [seen, setSeen] = useState(value);
  if (!Object.is(value, seen)) {
    // A new value: the one typed here (the text stays as typed), or one from elsewhere (reset to defaults), shown.
    setSeen(value);
    if (!Object.is(rateLimitFromField(text), value)) setText(textOf(value));
  }
  return (
    <label>
      {t('settings.rateLimit')}
      <input
        type="text"
        inputMode="decimal"
        data-testid="setting-rate-limit"
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          onChange(rateLimitFromField(event.target.value));
        }}
        {...invalid}
      />
      {problem}
    </label>
  );
}

function textOf(value: number | null): string {
  return value === null || Number.isNaN(value) ? '' : String(value);
}
