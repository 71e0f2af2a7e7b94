import { describe, expect, it } from 'vitest';
import type { JournalEntry } from '../api/types';
import { errorsByActivity, stepStates } from './annotations';

const j = (activityId: string, outcome: string | null, error: string | null = null): JournalEntry => ({
  activityId,
  type: 'X',
  outcome,
  startedAt: '2026-11-23T10:00:00Z',
  durationMs: 3,
  variables: {},
  error,
});

describe('errorsByActivity', () => {
  it('groups by activity id and puts flow-level errors under ""', () => {
    const map = errorsByActivity([
      { code: 'input_required', message: 'Question is required', activityId: 'ask1', input: 'question' },
      { code: 'start_missing', message: 'No start' },
      { code: 'unknown_outcome', message: 'Bad outcome', activityId: 'ask1' },
    ]);
    expect(map.get('ask1')).toHaveLength(2);
    expect(map.get('')?.[0].code).toBe('start_missing');
  });
});

describe('stepStates', () => {
  it('marks executed steps ran and errored or failure-outcome steps failed', () => {
    const s = stepStates([j('a', 'Done'), j('b', 'Failure'), j('c', null, 'boom')]);
    expect(s.get('a')).toBe('ran');
    expect(s.get('b')).toBe('failed');
    expect(s.get('c')).toBe('failed');
    expect(s.has('d')).toBe(false);
  });

  it('marks the last step of a faulted run failed, and failure wins over a later success', () => {
    expect(stepStates([j('a', 'Done'), j('b', null)], 'faulted').get('b')).toBe('failed');
    expect(stepStates([j('a', null, 'x'), j('a', 'Done')]).get('a')).toBe('failed');
  });
});
