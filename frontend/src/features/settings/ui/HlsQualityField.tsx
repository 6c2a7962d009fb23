import { useT } from '../../../app/i18n';

/** The HLS engine's choices (backend/vdp/engines/hls/engine.py): the highest or lowest variant, or the highest
 *  variant no taller than a height. */
const CHOICES = ['highest', '1080', '720', '480', '360', 'lowest'] as const;

interface Props {
  value: string;
  onChange: (value: string) => void;
}

/** `download.hls_quality` as a choice in the user's language, not a word to type in English. A value set elsewhere
 *  (an imported config's "540") stays offered as it is. */
export function HlsQualityField({ value, onChange }: Props) {
  const t = useT();
  const choices: readonly string[] = (CHOICES as readonly string[]).includes(value) ? CHOICES : [...CHOICES, value];
  const label = (choice: string) =>
    choice === 'highest' || choice === 'lowest'
      ? t(`settings.hlsQuality.${choice}`)
      : /^\d+$/.test(choice)
        ? t('settings.hlsQuality.height', { height: choice })
        : choice;
  return (
    <label>
      {t('settings.hlsQuality')}
      <select data-testid="setting-hls-quality" value={value} onChange={(event) => onChange(event.target.value)}>
        {choices.map((choice) => (
          <option key={choice} value={choice}>{label(choice)}</option>
        ))}
      </select>
    </label>
  );
}
