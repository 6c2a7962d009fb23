import { describe, expect, it } from 'vitest';
import { translator } from '../../../i18n';
import { causeText, routingText } from './backendText';

const zh = translator('zh-CN');

describe('backend phrases in the details pane', () => {
  it('translates the runtime causes, with their numbers and file names', () => {
    expect(causeText('imported from 课程清单.csv', zh)).toBe('从 课程清单.csv 导入');
    expect(causeText('dispatched from interactive', zh)).toBe('手动开始');
    expect(causeText('attempt 2 started', zh)).toBe('第 2 次尝试');
  });

  it('names a failure by its code, as the error messages do', () => {
    expect(causeText('failed: not_found', zh)).toBe(zh('error.not_found'));
    expect(causeText('retry 1 after timeout', zh)).toBe(`第 1 次重试：${zh('error.timeout')}`);
    expect(causeText('failed: some_new_code', zh)).toBe('some_new_code');
  });

  it('translates routing reasons and keeps what it does not know as sent', () => {
    expect(routingText('direct file link (.mp4)', zh)).toBe('直接文件链接（.mp4）');
    expect(routingText('known video site (youtube.com): yt-dlp', translator('en'))).toBe('known video site (youtube.com): yt-dlp');
    expect(routingText('a reason from a newer backend', zh)).toBe('a reason from a newer backend');
  });
});
