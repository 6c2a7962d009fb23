import { describe, expect, it } from 'vitest';
import { parseUrls } from './links';

describe('parseUrls', () => {
  it('finds each link once, in order, inside any text', () => {
    expect(parseUrls('see https://a.test/1.mp4, then "http://b.test/x?y=1"\nhttps://a.test/1.mp4 ftp://c.test/f')).toEqual([
      'https://a.test/1.mp4',
      'http://b.test/x?y=1',
      'ftp://c.test/f',
    ]);
    expect(parseUrls('no links here')).toEqual([]);
  });
});
