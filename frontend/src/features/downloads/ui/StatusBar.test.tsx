// @vitest-environment jsdom
import { act, createElement } from 'react';
import { beforeEach, describe, expect, it } from 'vitest';
import { domRoot } from '../../../test-support/dom';
import { configStore, downloadStore } from '../../../stores';
import type { DownloadMetricsEvent } from '../../../types/generated/contract';
import { StatusBar } from './StatusBar';

const METRICS: DownloadMetricsEvent = {
  active: 1, avg_speed: 0, cancelled: 1, completed: 6, downloaded_bytes: 8 * 1024 * 1024, failed: 1, paused: 1,
  pending: 10, per_protocol: {}, queued: 10, total: 20, total_speed: 512 * 1024, worker_utilization: 0.25,
};

const dom = domRoot();

function showBar(speedHistory: number[]): void {
  act(() => downloadStore.setState({ metrics: METRICS, speedHistory }));
  dom.render(createElement(StatusBar));
}

beforeEach(() => configStore.setState({ config: { ui: { language: 'zh-CN' } } } as never));

describe('the status bar', () => {
  it('says the speed and bytes downloaded, not the tasks per status the filter tabs already count', () => {
    showBar([]);
    const bar = dom.host.querySelector('[data-testid=status-bar]')!;
    expect(bar.querySelector('[data-testid=status-speed]')!.textContent).toBe('512 KiB/s');
    expect(bar.querySelector('[data-testid=status-downloaded]')!.textContent).toBe('8.00 MiB');
    expect([...bar.querySelectorAll('[data-testid^=status-]')].map((item) => item.getAttribute('data-testid')))
      .toEqual(['status-speed', 'status-downloaded']);
    for (const tabWord of ['进行中', '等待中', '暂停', '完成', '失败']) expect(bar.textContent).not.toContain(tabWord);
  });

  it('draws no speed graph before there is a speed to show', () => {
    showBar([]);
    expect(dom.host.querySelector('[data-testid=speed-graph]')).toBeNull();
    showBar([0, 0, 0]);
    expect(dom.host.querySelector('[data-testid=speed-graph]')).toBeNull();
  });

  it('draws the speed as a small named chart: baseline, filled area and line', () => {
    showBar([0, 256 * 1024, 512 * 1024, 384 * 1024]);
    const graph = dom.host.querySelector('[data-testid=speed-graph]')!;
    expect(graph.getAttribute('role')).toBe('img');
    expect(graph.getAttribute('aria-label')).toBe('总速度近期走势（峰值 512 KiB/s）');
    expect(graph.querySelector('title')!.textContent).toBe('总速度近期走势（峰值 512 KiB/s）');
    expect(graph.querySelector('.speed-graph-base')).not.toBeNull();
    expect(graph.querySelector('.speed-graph-area')).not.toBeNull();
    expect(graph.querySelector('.speed-graph-line')!.getAttribute('points')!.split(' ')).toHaveLength(4);
    expect(Number(graph.getAttribute('height'))).toBeLessThanOrEqual(16);
  });
});
