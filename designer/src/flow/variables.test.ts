import { describe, expect, it } from 'vitest';
import type { ActivityDescriptor } from '../api/types';
import { CONTACT_VARIABLES, applySuggestion, collectVariables, filterSuggestions, findOpenTemplate } from './variables';

const fetchDescriptor: ActivityDescriptor = {
  type: 'FetchVariables',
  displayName: 'Fetch Variables',
  category: 'HTTP',
  outcomes: ['Success', 'Failure'],
  inputs: [
    { name: 'output', displayName: 'Output', type: 'dictionary', uiHint: 'mappings', options: null, defaultValue: null, required: false, secret: false },
  ],
};

describe('collectVariables', () => {
  it('collects AskQuestion variables, SetVariable names and mapping keys, then contact.*', () => {
    const vars = collectVariables(
      [
        { type: 'AskQuestion', inputs: { question: 'Id?', variable: 'id' } },
        { type: 'SetVariable', inputs: { name: 'greeting', value: 'hi' } },
        { type: 'FetchVariables', inputs: { output: { lastName: 'data.last_name', firstName: 'data.first_name' } } },
        { type: 'SendMessage', inputs: { name: 'not-a-variable' } },
      ],
      [fetchDescriptor],
    );
    expect(vars.slice(0, 4)).toEqual(['firstName', 'greeting', 'id', 'lastName']);
    expect(vars).toContain('contact.id');
    expect(vars).not.toContain('not-a-variable');
    expect(vars).toHaveLength(4 + CONTACT_VARIABLES.length);
  });

  it('reads mapping keys from an input called mappings without descriptors, and dedupes', () => {
    const vars = collectVariables([
      { type: 'HttpRequest', inputs: { mappings: { status: 'status' } } },
      { type: 'AskQuestion', inputs: { variable: 'status' } },
      { type: 'AskQuestion', inputs: { variable: '' } },
    ]);
    expect(vars.filter((v) => v === 'status')).toHaveLength(1);
  });

  it('accepts a variable written as a template', () => {
    expect(collectVariables([{ type: 'AskQuestion', inputs: { variable: '{{ email }}' } }])[0]).toBe('email');
  });
});

describe('findOpenTemplate', () => {
  it('finds an unclosed {{ before the caret', () => {
    expect(findOpenTemplate('Hello {{ na', 11)).toEqual({ start: 9, prefix: 'na' });
    expect(findOpenTemplate('Hello {{', 8)).toEqual({ start: 8, prefix: '' });
    expect(findOpenTemplate('x {{contact.', 12)).toEqual({ start: 4, prefix: 'contact.' });
  });

  it('returns null when closed or absent', () => {
    expect(findOpenTemplate('Hello {{name}} and', 18)).toBeNull();
    expect(findOpenTemplate('plain', 5)).toBeNull();
    expect(findOpenTemplate('{{ a b', 6)).toBeNull();
  });
});

describe('filterSuggestions', () => {
  it('puts prefix matches before substring matches, case-insensitively', () => {
    expect(filterSuggestions(['contact.id', 'id', 'lastName', 'Identity'], 'id')).toEqual(['id', 'Identity', 'contact.id']);
  });
});

describe('applySuggestion', () => {
  it('completes the partial name and closes the template', () => {
    expect(applySuggestion('Hi {{ la', 8, 'lastName')).toEqual({ text: 'Hi {{ lastName}}', caret: 16 });
  });

  it('does not add a second closing brace', () => {
    const r = applySuggestion('Hi {{la}}!', 7, 'lastName');
    expect(r.text).toBe('Hi {{lastName}}!');
    expect(r.caret).toBe(15);
  });

  it('inserts a whole template when none is open', () => {
    expect(applySuggestion('Hi ', 3, 'id')).toEqual({ text: 'Hi {{id}}', caret: 9 });
  });
});
