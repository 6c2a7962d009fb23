import * as Tooltip from '@radix-ui/react-tooltip';
import type { LucideIcon } from 'lucide-react';
import { forwardRef, type ButtonHTMLAttributes } from 'react';

interface Props extends Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'children'> {
  icon: LucideIcon;
  /** The accessible name and the tooltip; name the task in it when the button acts on one. */
  label: string;
  /** Shown beside the icon (the toolbar's counts); the tooltip still says the whole action. */
  text?: string;
}

/** An icon-only button with its name as a tooltip (Radix: shown on hover and on keyboard focus). */
export const IconButton = forwardRef<HTMLButtonElement, Props>(function IconButton({ icon: Icon, label, text, className, ...rest }, ref) {
  return (
    <Tooltip.Root>
      <Tooltip.Trigger asChild>
        <button ref={ref} type="button" aria-label={label} className={`icon-button ${className ?? ''}`} {...rest}>
          <Icon size={16} aria-hidden strokeWidth={1.75} />
          {text && <span className="icon-button-text">{text}</span>}
        </button>
      </Tooltip.Trigger>
      <Tooltip.Portal>
        <Tooltip.Content className="tooltip" side="bottom" sideOffset={4}>
          {label}
        </Tooltip.Content>
      </Tooltip.Portal>
    </Tooltip.Root>
  );
});
