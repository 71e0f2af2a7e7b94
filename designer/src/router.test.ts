import { describe, expect, it } from 'vitest';
import { matchRoute } from './router';

describe('matchRoute', () => {
  it('maps the designer paths', () => {
    expect(matchRoute('/')).toEqual({ page: 'flows' });
    expect(matchRoute('/flows')).toEqual({ page: 'flows' });
    expect(matchRoute('/flows/')).toEqual({ page: 'flows' });
    expect(matchRoute('/flows/abc%20def')).toEqual({ page: 'editor', flowId: 'abc def' });
    expect(matchRoute('/integrations')).toEqual({ page: 'integrations' });
    expect(matchRoute('/signin')).toEqual({ page: 'signin' });
  });

  it('does not treat deeper or unknown paths as pages', () => {
    expect(matchRoute('/flows/a/b')).toEqual({ page: 'notfound' });
    expect(matchRoute('/nope')).toEqual({ page: 'notfound' });
  });
});
