import { describe, expect, it, vi } from 'vitest';
import { ApiClient, type KeyStore } from './client';
import { ApiError, describeProblem, errorMessage, flowErrorText, parseProblem } from './problem';

function memoryKeys(initial: string | null = 'secret-key'): KeyStore {
  let key = initial;
  return { get: () => key, set: (k) => (key = k), clear: () => (key = null) };
}

function respond(status: number, body: unknown, statusText = '') {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return vi.fn(async (_url: RequestInfo | URL, _init?: RequestInit) => new Response(status === 204 ? null : text, { status, statusText }));
}

describe('parseProblem', () => {
  it('reads RFC 7807 fields and our errors array', () => {
    const p = parseProblem(400, 'Bad Request', JSON.stringify({
      type: 'https://flowruntime/errors/flow_invalid',
      title: 'The flow is invalid',
      status: 400,
      detail: '2 problems',
      code: 'flow_invalid',
      errors: [{ code: 'input_required', message: 'Question is required', activityId: 'ask1', input: 'question' }, { code: 'no_start', message: 'No start' }],
    }));
    expect(p.code).toBe('flow_invalid');
    expect(p.detail).toBe('2 problems');
    expect(p.errors).toEqual([
      { code: 'input_required', message: 'Question is required', activityId: 'ask1', input: 'question' },
      { code: 'no_start', message: 'No start', activityId: null, input: null },
    ]);
  });

  it('flattens ASP.NET validation dictionaries', () => {
    const p = parseProblem(400, '', JSON.stringify({ title: 'One or more validation errors occurred.', errors: { Name: ['Required', 'Too short'] } }));
    expect(p.errors?.map((e) => e.message)).toEqual(['Name: Required', 'Name: Too short']);
    expect(p.status).toBe(400);
  });

  it('copes with non-JSON and HTML bodies', () => {
    expect(parseProblem(502, 'Bad Gateway', 'upstream down')).toMatchObject({ status: 502, title: 'Bad Gateway', detail: 'upstream down' });
    expect(parseProblem(500, '', '<html>oops</html>').detail).toBeUndefined();
    expect(parseProblem(500, '', '').title).toBe('HTTP 500');
  });

  it('describes a problem by detail, then title', () => {
    expect(describeProblem({ title: 'T', detail: 'D' })).toBe('D');
    expect(describeProblem({ title: 'T' })).toBe('T');
    expect(describeProblem({ status: 404 })).toBe('Request failed (HTTP 404)');
  });
});

describe('ApiClient', () => {
  it('sends the key in X-Api-Key, never in the URL, and JSON bodies', async () => {
    const f = respond(201, { id: 'f1', name: 'x' });
    const api = new ApiClient({ keys: memoryKeys('k-123'), fetch: f as unknown as typeof fetch });
    const created = await api.createFlow({ name: 'x', trigger: { type: 'conversation' }, start: null, activities: [], connections: [] });
    expect(created.id).toBe('f1');
    const [url, init] = f.mock.calls[0];
    expect(String(url)).toBe('/api/flows');
    expect(String(url)).not.toContain('k-123');
    const headers = init!.headers as Record<string, string>;
    expect(headers['X-Api-Key']).toBe('k-123');
    expect(headers['Content-Type']).toBe('application/json');
    expect(init!.method).toBe('POST');
    expect(JSON.parse(init!.body as string).name).toBe('x');
  });

  it('asks for JSON on authorize so the server answers with the URL instead of a redirect', async () => {
    const f = respond(200, { authorizationUrl: 'https://provider/auth?x=1' });
    const api = new ApiClient({ keys: memoryKeys(), fetch: f as unknown as typeof fetch });
    const r = await api.authorizeUrl('abc/def');
    expect(r.authorizationUrl).toBe('https://provider/auth?x=1');
    expect(String(f.mock.calls[0][0])).toBe('/api/integrations/abc%2Fdef/authorize');
    expect((f.mock.calls[0][1]!.headers as Record<string, string>).Accept).toBe('application/json');
  });

  it('throws ApiError with problem details and calls onUnauthorized on 401', async () => {
    const onUnauthorized = vi.fn();
    const f = respond(401, { title: 'Unauthorized', status: 401, code: 'api_key_invalid' });
    const api = new ApiClient({ keys: memoryKeys(), fetch: f as unknown as typeof fetch, onUnauthorized });
    const err = await api.listFlows().catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(401);
    expect(err.code).toBe('api_key_invalid');
    expect(onUnauthorized).toHaveBeenCalledOnce();
  });

  it('does not call onUnauthorized for other errors and exposes field errors', async () => {
    const onUnauthorized = vi.fn();
    const f = respond(400, { title: 'Invalid', detail: 'Flow is invalid', code: 'flow_invalid', errors: [{ code: 'c', message: 'm', activityId: 'a1' }] });
    const api = new ApiClient({ keys: memoryKeys(), fetch: f as unknown as typeof fetch, onUnauthorized });
    const err: ApiError = await api.publishFlow('f1').catch((e) => e);
    expect(err.message).toBe('Flow is invalid');
    expect(err.errors[0].activityId).toBe('a1');
    expect(onUnauthorized).not.toHaveBeenCalled();
  });

  it('returns undefined for 204 and omits the key header when signed out', async () => {
    const f = respond(204, '');
    const api = new ApiClient({ keys: memoryKeys(null), fetch: f as unknown as typeof fetch });
    await expect(api.deleteFlow('f1')).resolves.toBeUndefined();
    expect((f.mock.calls[0][1]!.headers as Record<string, string>)['X-Api-Key']).toBeUndefined();
    expect(f.mock.calls[0][1]!.method).toBe('DELETE');
  });

  it('builds the status filter query for integrations', async () => {
    const f = respond(200, []);
    const api = new ApiClient({ keys: memoryKeys(), fetch: f as unknown as typeof fetch });
    await api.listIntegrations('authorized');
    expect(String(f.mock.calls[0][0])).toBe('/api/integrations?status=authorized');
  });
});

describe('errorMessage', () => {
  it('explains network failures', () => {
    expect(errorMessage(new TypeError('Failed to fetch'))).toMatch(/Network error/);
    expect(errorMessage(new ApiError(404, { detail: 'Flow not found' }))).toBe('Flow not found');
  });
});

describe('flowErrorText', () => {
  it('reads the host error object {code, message, activityId}', () => {
    expect(flowErrorText({ code: 'variable_missing', message: "a: Variable 'nope' is not set.", activityId: 'a' })).toBe("a: Variable 'nope' is not set.");
  });

  it('falls back to the code, accepts strings and nothing', () => {
    expect(flowErrorText({ code: 'timeout', message: '' })).toBe('timeout');
    expect(flowErrorText('boom')).toBe('boom');
    expect(flowErrorText(null)).toBeNull();
    expect(flowErrorText(undefined)).toBeNull();
  });
});
