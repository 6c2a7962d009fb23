import { describe, expect, it } from 'vitest';
import { BridgeError, hasErrorCode, toBridgeError } from './errors';

describe('toBridgeError', () => {
  it('keeps the code and text of the desktop rejection and of the server body', () => {
    const desktop = toBridgeError({ message: 'Failed to pause download: Download error: Active download not found: t', code: 'not_active' });
    expect(desktop).toBeInstanceOf(BridgeError);
    expect([desktop.code, desktop.message]).toEqual(['not_active', 'Failed to pause download: Download error: Active download not found: t']);
    const server = toBridgeError({ error: 'Unknown command: x', code: 'unknown_command' });
    expect([server.code, server.message]).toEqual(['unknown_command', 'Unknown command: x']);
  });

  it('turns anything without a code into an internal error with its text', () => {
    expect(toBridgeError('boom')).toMatchObject({ code: 'internal', message: 'boom' });
    expect(toBridgeError(new Error('js failure'))).toMatchObject({ code: 'internal', message: 'js failure' });
    expect(toBridgeError(undefined)).toMatchObject({ code: 'internal', message: 'Unknown error' });
  });

  it('passes a BridgeError through and checks codes, not text', () => {
    const limit = new BridgeError('concurrency_limit', 'Failed to start download: Download error: Maximum concurrent downloads reached');
    expect(toBridgeError(limit)).toBe(limit);
    expect(hasErrorCode(limit, 'concurrency_limit')).toBe(true);
    expect(hasErrorCode('Maximum concurrent downloads reached', 'concurrency_limit')).toBe(false);
  });
});
