import { useT } from '../../../app/i18n';

interface Props {
  /** 0–100, as the bar is drawn. */
  percent: number;
  /** Nothing in and nothing on its way: no track, and "—" (`notStarted`); a screen reader still hears 0. */
  unstarted: boolean;
  /** Whose progress: the task's or the course's name, for the bar's accessible name. */
  name: string;
  /** The percentage as shown. */
  text: string;
  testId: string;
}

/** The progress cell of a task row and of a course header: one bar, one look. */
export function ProgressCell({ percent, unstarted, name, text, testId }: Props) {
  const t = useT();
  return (
    <div role="gridcell" className="cell cell-progress">
      <div className={unstarted ? 'bar bar-unstarted' : 'bar'} role="progressbar" aria-valuemin={0} aria-valuemax={100}
           aria-valuenow={Math.round(percent * 10) / 10} aria-label={t('list.row.progress', { name })}>
        <div style={{ width: `${percent}%` }} />
      </div>
      <span className="num" data-testid={testId}>{unstarted ? '—' : text}</span>
    </div>
  );
}
