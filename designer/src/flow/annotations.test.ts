import { describe, expect, it } from 'vitest';
import type { JournalEntry } from '../api/types';
import type { ActivityDescriptor, InputDescriptor } from '../api/types';
import { emptyTestJournal, errorsByActivity, isFailedEntry, isWaiting, mergeJournal, nodeSummary, stepStates } from './annotations';

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

describe('mergeJournal', () => {
  it('replaces the entries of the same instance (the host sends its whole journal)', () => {
    const first = mergeJournal(emptyTestJournal, 'i1', [j('ask1', 'Suspended')]);
    const second = mergeJournal(first, 'i1', [j('ask1', 'Suspended'), j('ask1', 'Done'), j('send1', 'Done')]);
    expect(second.entries.map((e) => `${e.activityId}:${e.outcome}`)).toEqual(['ask1:Suspended', 'ask1:Done', 'send1:Done']);
  });

  it('appends a new instance after the earlier ones', () => {
    const first = mergeJournal(emptyTestJournal, 'i1', [j('send1', 'Done')]);
    const second = mergeJournal(first, 'i2', [j('send1', 'Done')]);
    const third = mergeJournal(second, 'i2', [j('send1', 'Done'), j('send2', 'Done')]);
    expect(third.entries.map((e) => e.activityId)).toEqual(['send1', 'send1', 'send2']);
  });
});

describe('isWaiting', () => {
  it('treats the host\'s "Suspended" outcome and a missing outcome as waiting', () => {
    expect(isWaiting(j('ask1', 'Suspended'))).toBe(true);
    expect(isWaiting(j('ask1', null))).toBe(true);
    expect(isWaiting(j('ask1', 'Done'))).toBe(false);
    expect(isWaiting(j('ask1', null, 'boom'))).toBe(false);
  });
});

describe('nodeSummary', () => {
  const input = (name: string, uiHint: InputDescriptor['uiHint'], secret = false): InputDescriptor => ({
    name, displayName: name, type: 'string', uiHint, options: null, defaultValue: null, required: false, secret,
  });
  const fetch: ActivityDescriptor = {
    type: 'FetchVariables', displayName: 'Fetch Variables', category: 'Integrations', outcomes: ['Success', 'Failure'],
    inputs: [input('integration', 'integration'), input('method', 'dropdown'), input('token', 'singleline', true), input('url', 'singleline')],
  };

  it('shows the first filled text input, not the integration id, a dropdown value or a secret', () => {
    expect(nodeSummary({ integration: 'int_3f04', method: 'POST', token: 's3cret', url: 'https://api.example/contacts.info' }, fetch))
      .toBe('https://api.example/contacts.info');
    expect(nodeSummary({ integration: 'int_3f04', method: 'POST' }, fetch)).toBe('');
  });

  it('clips long text and falls back to the first string without a descriptor', () => {
    expect(nodeSummary({ url: 'x'.repeat(80) }, fetch)).toHaveLength(58);
    expect(nodeSummary({ n: 3, text: 'Hello' })).toBe('Hello');
  });
});

describe('isFailedEntry', () => {
  it('is true for an error or a failure outcome, false for a normal way out or a wait', () => {
    expect(isFailedEntry(j('fetch', 'Failure'))).toBe(true);
    expect(isFailedEntry(j('call', 'Timeout'))).toBe(true);
    expect(isFailedEntry(j('send', null, 'boom'))).toBe(true);
    expect(isFailedEntry(j('fetch', 'Success'))).toBe(false);
    expect(isFailedEntry(j('ask', 'Suspended'))).toBe(false);
  });
});
