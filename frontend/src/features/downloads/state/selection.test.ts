import { describe, expect, it } from 'vitest';
import { neighbour, NO_SELECTION, pruneSelection, select, selectAll } from './selection';

const order = ['a', 'b', 'c', 'd'];
const ids = (selected: Record<string, true>) => Object.keys(selected).sort();

describe('selection', () => {
  it('selects one, toggles with Ctrl, extends with Shift from the anchor', () => {
    let s = select(NO_SELECTION, 'b', 'only', order);
    expect([ids(s.selected), s.focused]).toEqual([['b'], 'b']);
    s = select(s, 'd', 'range', order);
    expect(ids(s.selected)).toEqual(['b', 'c', 'd']);
    s = select(s, 'a', 'range', order); // the anchor stays at b
    expect(ids(s.selected)).toEqual(['a', 'b']);
    s = select(s, 'd', 'toggle', order);
    expect(ids(s.selected)).toEqual(['a', 'b', 'd']);
    s = select(s, 'c', 'focus', order); // Ctrl+arrow: the focus moves, the selection stays
    expect([ids(s.selected), s.focused]).toEqual([['a', 'b', 'd'], 'c']);
  });

  it('moves the focus by rows and pages, clamped at the ends', () => {
    expect(neighbour(order, null, 1)).toBe('a');
    expect(neighbour(order, 'b', 1)).toBe('c');
    expect(neighbour(order, 'b', -15)).toBe('a');
    expect(neighbour(order, 'b', 15)).toBe('d');
    expect(neighbour(order, 'c', 'first')).toBe('a');
    expect(neighbour([], null, 1)).toBeNull();
  });

  it('selects every task shown and drops removed ones', () => {
    const all = selectAll(select(NO_SELECTION, 'a', 'only', order), order);
    expect(ids(all.selected)).toEqual(order);
    const pruned = pruneSelection(all, (id) => id !== 'a');
    expect([ids(pruned.selected), pruned.focused, pruned.anchor]).toEqual([['b', 'c', 'd'], null, null]);
  });
});
