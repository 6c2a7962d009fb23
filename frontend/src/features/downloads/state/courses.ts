/**
 * A task's course: the unit a user thinks in. From a sheet it is the column (专栏) the lesson belongs to, from a
 * yt-dlp playlist the playlist, and pasted links have none.
 */
import type { VideoTask } from '../../../types/generated/contract';

export type CourseKind = 'sheet' | 'playlist' | 'none';

export interface Course {
  /** Stable across renders and reloads: groups keep their collapsed state by it. */
  key: string;
  title: string;
  kind: CourseKind;
}

export const NO_COURSE: Course = { key: '', title: '', kind: 'none' };

const clean = (value: string | null | undefined) => (value ?? '').trim();

// A task object is replaced, never changed, when an event touches it: its course can be kept per object.
const known = new WeakMap<VideoTask, Course>();

export function courseOf(task: VideoTask): Course {
  let course = known.get(task);
  if (!course) known.set(task, (course = findCourse(task)));
  return course;
}

function findCourse(task: VideoTask): Course {
  const info = task.video_info;
  if (!info) return NO_COURSE;
  const title = clean(info.zl_name) || clean(info.name);
  // Playlist entries carry a per-video id: the name (the playlist or site) is what they share.
  if (task.downloader_type === 'Youtube') return title ? { key: `playlist:${title}`, title, kind: 'playlist' } : NO_COURSE;
  const id = clean(info.zl_id) || clean(info.id);
  if (!title && !id) return NO_COURSE;
  return { key: `sheet:${id}:${title}`, title: title || id, kind: 'sheet' };
}

/** The lesson's own name within its course (课程名称), else the task title. */
export function lessonTitle(task: VideoTask): string {
  return clean(task.video_info?.kc_name) || clean(task.video_info?.course_name) || task.title;
}
