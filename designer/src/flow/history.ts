/**
 * Undo/redo history over immutable snapshots. Pure functions so they are easy to test;
 * the editor keeps one History in state.
 */
export interface History<T> {
  past: T[];
  present: T;
  future: T[];
  /** Key + time of the last push, so a burst of typing in one field is one undo step. */
  lastKey?: string;
  lastAt?: number;
}

export const HISTORY_LIMIT = 100;
export const COALESCE_MS = 1000;

export function createHistory<T>(initial: T): History<T> {
  return { past: [], present: initial, future: [] };
}

export interface PushOptions {
  /** Pushes with the same key within COALESCE_MS replace the present instead of adding a step. */
  coalesceKey?: string;
  now?: number;
  equals?: (a: unknown, b: unknown) => boolean;
}

const jsonEquals = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function push<T>(h: History<T>, next: T, opts: PushOptions = {}): History<T> {
  const equals = opts.equals ?? jsonEquals;
  if (equals(h.present, next)) return h;
  const now = opts.now ?? Date.now();
  if (
    opts.coalesceKey !== undefined &&
    h.lastKey === opts.coalesceKey &&
    h.lastAt !== undefined &&
    now - h.lastAt < COALESCE_MS &&
    h.past.length > 0
  ) {
    return { ...h, present: next, future: [], lastAt: now };
  }
  const past = [...h.past, h.present];
  if (past.length > HISTORY_LIMIT) past.splice(0, past.length - HISTORY_LIMIT);
  return { past, present: next, future: [], lastKey: opts.coalesceKey, lastAt: now };
}

export function canUndo<T>(h: History<T>): boolean {
  return h.past.length > 0;
}

export function canRedo<T>(h: History<T>): boolean {
  return h.future.length > 0;
}

export function undo<T>(h: History<T>): History<T> {
  if (h.past.length === 0) return h;
  const previous = h.past[h.past.length - 1];
  return { past: h.past.slice(0, -1), present: previous, future: [h.present, ...h.future] };
}

export function redo<T>(h: History<T>): History<T> {
  if (h.future.length === 0) return h;
  const [next, ...rest] = h.future;
  return { past: [...h.past, h.present], present: next, future: rest };
}

/** Replaces everything (e.g. after loading or restoring a version): no undo across loads. */
export function reset<T>(present: T): History<T> {
  return createHistory(present);
}
