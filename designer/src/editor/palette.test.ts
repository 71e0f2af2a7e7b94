import { describe, expect, it } from 'vitest';
import type { ActivityDescriptor } from '../api/types';
import { groupActivities } from './Palette';
import { validateJson } from './JsonEditor';

const d = (type: string, displayName: string, category: string, description = ''): ActivityDescriptor => ({
  type, displayName, category, description, outcomes: ['Done'], inputs: [],
});

const all = [
  d('SendMessage', 'Send Message', 'Conversation', 'Replies with a message'),
  d('AskQuestion', 'Ask Question', 'Conversation'),
  d('HttpRequest', 'HTTP Request', 'HTTP', 'Calls an API'),
  d('Branch', 'Branch', 'Control', 'JavaScript condition'),
  d('Custom', 'Custom', ''),
];

describe('groupActivities', () => {
  it('groups by category, sorted, with items sorted by display name', () => {
    const groups = groupActivities(all, '');
    expect(groups.map(([c]) => c)).toEqual(['Control', 'Conversation', 'HTTP', 'Other']);
    expect(groups[1][1].map((a) => a.type)).toEqual(['AskQuestion', 'SendMessage']);
  });

  it('searches name, type, category and description case-insensitively', () => {
    expect(groupActivities(all, 'http').flatMap(([, l]) => l.map((a) => a.type))).toEqual(['HttpRequest']);
    expect(groupActivities(all, 'javascript').flatMap(([, l]) => l.map((a) => a.type))).toEqual(['Branch']);
    expect(groupActivities(all, 'conversation')).toHaveLength(1);
    expect(groupActivities(all, 'zzz')).toEqual([]);
  });
});

describe('validateJson', () => {
  it('accepts empty and valid JSON and reports invalid JSON', () => {
    expect(validateJson('')).toBeNull();
    expect(validateJson('{"a": [1, 2]}')).toBeNull();
    expect(validateJson('{"a": {{id}}}')).not.toBeNull();
  });
});
