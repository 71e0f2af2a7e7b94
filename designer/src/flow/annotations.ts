import type { ActivityDescriptor, JournalEntry, ProblemFieldError, RunStatus } from '../api/types';

/** Groups validation errors by the activity they point at; the rest go under "". */
export function errorsByActivity(errors: ProblemFieldError[]): Map<string, ProblemFieldError[]> {
  const map = new Map<string, ProblemFieldError[]>();
  for (const e of errors) {
    const key = e.activityId ?? '';
    const list = map.get(key) ?? [];
    list.push(e);
    map.set(key, list);
  }
  return map;
}

export type StepState = 'ran' | 'failed';

const FAILURE_OUTCOME = /^(failure|failed|error|timeout|faulted)$/i;

/**
 * Which activities ran in a test run, for highlighting on the canvas: green when a step ran,
 * red when it errored, left through a failure outcome, or was the last step of a faulted run.
 */
/** A step that errored or left through a failure outcome (Failure, Timeout, …). */
export function isFailedEntry(j: JournalEntry): boolean {
  return !!j.error || (typeof j.outcome === 'string' && FAILURE_OUTCOME.test(j.outcome));
}

export function stepStates(journal: JournalEntry[], status?: RunStatus): Map<string, StepState> {
  const map = new Map<string, StepState>();
  journal.forEach((j, i) => {
    const failed = isFailedEntry(j) || (status === 'faulted' && i === journal.length - 1);
    if (failed) map.set(j.activityId, 'failed');
    else if (!map.has(j.activityId)) map.set(j.activityId, 'ran');
  });
  return map;
}

/** The journal the test panel shows: earlier instances of the conversation, then the current one. */
export interface TestJournal {
  instanceId: string | null;
  earlier: JournalEntry[];
  entries: JournalEntry[];
}

export const emptyTestJournal: TestJournal = { instanceId: null, earlier: [], entries: [] };

/**
 * The host answers each message with the whole journal of the instance it ran, so a reply on the
 * same instance replaces that instance's entries; a new instance (the flow ended and the next
 * message started it again) is appended after the earlier ones.
 */
export function mergeJournal(state: TestJournal, instanceId: string | null | undefined, journal: JournalEntry[] | null | undefined): TestJournal {
  const id = instanceId ?? null;
  const entries = journal ?? [];
  if (id !== null && id === state.instanceId) return { instanceId: id, earlier: state.earlier, entries: [...state.earlier, ...entries] };
  return { instanceId: id, earlier: state.entries, entries: [...state.entries, ...entries] };
}

/** The host journals a step that is waiting for the next message with the outcome "Suspended". */
export function isWaiting(entry: JournalEntry): boolean {
  return !entry.error && (entry.outcome === null || entry.outcome === undefined || entry.outcome === 'Suspended');
}

const TEXT_HINTS = new Set(['singleline', 'multiline', 'code']);

/**
 * The one line a node shows under its title: the first filled text input (a question, a message,
 * a URL, a condition), not an integration id or a dropdown value; without a descriptor, the first string.
 */
export function nodeSummary(inputs: Record<string, unknown>, descriptor?: ActivityDescriptor): string {
  const clip = (v: string) => (v.length > 60 ? `${v.slice(0, 57)}…` : v);
  const filled = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
  for (const d of descriptor?.inputs ?? []) {
    const v = inputs[d.name];
    if (TEXT_HINTS.has(d.uiHint) && !d.secret && filled(v)) return clip(v);
  }
  if (descriptor) return '';
  const first = Object.values(inputs).find(filled);
  return first ? clip(first) : '';
}
