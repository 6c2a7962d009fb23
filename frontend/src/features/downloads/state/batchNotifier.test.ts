// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTask } from '../../../test-support/tasks';
import { batchNotifier, taskDoneNotifier } from './batchNotifier';

const shown: string[] = [];

class RecordingNotification {
  static permission = 'granted';
  constructor(_title: string, options: { body: string }) {
    shown.push(options.body);
  }
}

const table = (...tasks: ReturnType<typeof makeTask>[]) => Object.fromEntries(tasks.map((task) => [task.id, task]));

describe('desktop notifications', () => {
  beforeEach(() => {
    shown.length = 0;
    (globalThis as { Notification?: unknown }).Notification = RecordingNotification;
  });
  afterEach(() => {
    delete (globalThis as { Notification?: unknown }).Notification;
  });

  it('announces a finished task while few run, and stays quiet in a big batch or when disabled', () => {
    const notify = taskDoneNotifier(() => true);
    notify('Lesson 1', table(makeTask({ id: 'a', status: 'Completed' }), makeTask({ id: 'b', status: 'Downloading' })));
    const busy = table(...['a', 'b', 'c'].map((id) => makeTask({ id, status: 'Downloading' })));
    notify('Lesson 2', busy);
    taskDoneNotifier(() => false)('Lesson 3', table());
    expect(shown).toEqual(['Lesson 1 finished downloading']);
  });

  it('announces the batch once when everything has finished', () => {
    const notify = batchNotifier(() => true);
    notify(table(makeTask({ id: 'a', status: 'Downloading' })));
    notify(table(makeTask({ id: 'a', status: 'Completed' }), makeTask({ id: 'b', status: 'Failed' })));
    notify(table(makeTask({ id: 'a', status: 'Completed' })));
    expect(shown).toEqual(['All downloads finished: 1 completed, 1 failed']);
  });
});
