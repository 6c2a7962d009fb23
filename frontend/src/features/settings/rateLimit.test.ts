import { describe, expect, it } from 'vitest';
import schema from '../../../../shared-schema/contract.schema.json';
import { translator } from '../../i18n';
import { RATE_LIMIT_UNIT, bytesPerSecondFromMbit, mbitFromBytesPerSecond, rateLimitFromField } from './rateLimit';

describe('the speed-limit field', () => {
  it('uses the unit the backend applies, as the contract declares it', () => {
    const defs = schema.$defs as unknown as Record<string, { properties: Record<string, { unit?: string }> }>;
    const field = defs.AdvancedConfig.properties.rate_limit_mbps;
    expect(field.unit).toBe(RATE_LIMIT_UNIT);
    for (const locale of ['en', 'zh-CN'] as const) {
      const label = translator(locale)('settings.rateLimit');
      // the unit opens the label's parentheses; MB/s may appear only in the explanation after it
      expect(label).toMatch(new RegExp(`[(（]${RATE_LIMIT_UNIT.replace('/', '\\/')}[;；]`));
    }
  });

  it('sends the number as typed, empty as no limit, and anything else as not a limit', () => {
    expect(rateLimitFromField('2')).toBe(2);
    expect(rateLimitFromField('0.5')).toBe(0.5);
    expect(rateLimitFromField('')).toBeNull();
    expect(rateLimitFromField('  ')).toBeNull();
    for (const wrong of ['0', '-5', 'abc', '0x']) expect(rateLimitFromField(wrong)).toBeNaN();
  });

  it('turns the per-task limit into the bytes per second the backend applies, in the same unit', () => {
    expect(bytesPerSecondFromMbit(8)).toBe(1_000_000);
    expect(bytesPerSecondFromMbit(1.5)).toBe(187_500);
    expect(bytesPerSecondFromMbit(null)).toBeNull();
    expect(mbitFromBytesPerSecond(187_500)).toBe(1.5);
  });
});
