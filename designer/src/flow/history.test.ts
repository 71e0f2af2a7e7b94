import { describe, expect, it } from 'vitest';
import { COALESCE_MS, HISTORY_LIMIT, canRedo, canUndo, createHistory, push, redo, undo } from './history';

describe('history', () => {
  it('undoes and redoes in order', () => {
    let h = createHistory({ n: 0 });
    h = push(h, { n: 1 });
    h = push(h, { n: 2 });
    expect(canUndo(h)).toBe(true);
    h = undo(h);
    expect(h.present).toEqual({ n: 1 });
    h = undo(h);
    expect(h.present).toEqual({ n: 0 });
    expect(canUndo(h)).toBe(false);
    h = redo(h);
    h = redo(h);
    expect(h.present).toEqual({ n: 2 });
    expect(canRedo(h)).toBe(false);
  });

  it('clears the redo stack on a new change', () => {
    let h = push(push(createHistory(0), 1), 2);
    h = undo(h);
    h = push(h, 3);
    expect(canRedo(h)).toBe(false);
    expect(undo(h).present).toBe(1);
  });

  it('ignores pushes equal to the present', () => {
    const h = push(createHistory({ a: [1] }), { a: [1] });
    expect(canUndo(h)).toBe(false);
  });

  it('is a no-op to undo/redo at the ends', () => {
    const h = createHistory('x');
    expect(undo(h)).toBe(h);
    expect(redo(h)).toBe(h);
  });

  it('coalesces quick pushes with the same key into one step', () => {
    let h = createHistory('');
    h = push(h, 'h', { coalesceKey: 'text', now: 1000 });
    h = push(h, 'he', { coalesceKey: 'text', now: 1200 });
    h = push(h, 'hey', { coalesceKey: 'text', now: 1400 });
    expect(h.past).toEqual(['']);
    expect(undo(h).present).toBe('');
  });

  it('starts a new step after the coalesce window or with another key', () => {
    let h = createHistory('');
    h = push(h, 'a', { coalesceKey: 'text', now: 0 });
    h = push(h, 'ab', { coalesceKey: 'text', now: COALESCE_MS + 1 });
    expect(h.past).toEqual(['', 'a']);
    h = push(h, 'abc', { coalesceKey: 'other', now: COALESCE_MS + 2 });
    expect(h.past).toEqual(['', 'a', 'ab']);
  });

  it('keeps at most HISTORY_LIMIT steps', () => {
    let h = createHistory(0);
    for (let i = 1; i <= HISTORY_LIMIT + 20; i++) h = push(h, i);
    expect(h.past).toHaveLength(HISTORY_LIMIT);
    expect(h.past[0]).toBe(20);
  });
});
