/**
 * Which tasks are selected and which row has the keyboard focus, as file managers do it: a plain click or arrow
 * selects one, Ctrl toggles (Ctrl+arrow moves only the focus), Shift extends from the anchor. Pure functions
 * over the row order on screen.
 */
export interface Selection {
  selected: Record<string, true>;
  /** Where a Shift range starts: the last row chosen without Shift. */
  anchor: string | null;
  /** The row with the roving tab stop. */
  focused: string | null;
}

export type SelectMode = 'only' | 'toggle' | 'range' | 'focus';

export const NO_SELECTION: Selection = { selected: {}, anchor: null, focused: null };

const only = (ids: readonly string[]) => Object.fromEntries(ids.map((id) => [id, true as const]));

function range(anchor: string | null, id: string, order: readonly string[]): string[] {
  const from = anchor === null ? -1 : order.indexOf(anchor);
  const to = order.indexOf(id);
  if (from < 0 || to < 0) return [id];
  return order.slice(Math.min(from, to), Math.max(from, to) + 1);
}

export function select(current: Selection, id: string, mode: SelectMode, order: readonly string[]): Selection {
  switch (mode) {
    case 'only':
      return { selected: only([id]), anchor: id, focused: id };
    case 'toggle': {
      const selected = { ...current.selected };
      if (selected[id]) delete selected[id];
      else selected[id] = true;
      return { selected, anchor: id, focused: id };
    }
    case 'range':
      return { selected: only(range(current.anchor ?? current.focused, id, order)), anchor: current.anchor ?? current.focused, focused: id };
    case 'focus':
      return { ...current, focused: id };
  }
}

/** The row `step` rows away from the focused one (clamped); `first`/`last` jump to the ends. */
export function neighbour(order: readonly string[], focused: string | null, step: number | 'first' | 'last'): string | null {
  if (!order.length) return null;
  if (step === 'first') return order[0];
  if (step === 'last') return order[order.length - 1];
  const at = focused === null ? -1 : order.indexOf(focused);
  if (at < 0) return order[step > 0 ? 0 : order.length - 1];
  return order[Math.min(order.length - 1, Math.max(0, at + step))];
}

export function selectAll(current: Selection, order: readonly string[]): Selection {
  return { ...current, selected: only(order) };
}

/** Drops ids that left the list (removed tasks), keeping the rest of the selection as it was. */
export function pruneSelection(current: Selection, exists: (id: string) => boolean): Selection {
  const kept = Object.keys(current.selected).filter(exists);
  if (kept.length === Object.keys(current.selected).length && (current.focused === null || exists(current.focused))) {
    return { selected: current.selected, anchor: current.anchor, focused: current.focused };
  }
  return {
    selected: only(kept),
    anchor: current.anchor !== null && exists(current.anchor) ? current.anchor : null,
    focused: current.focused !== null && exists(current.focused) ? current.focused : null,
  };
}
