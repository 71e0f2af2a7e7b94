import type { FlowError, ProblemDetails, ProblemFieldError } from './types';

/** An API call that failed; carries the RFC 7807 problem details (normalised). */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: ProblemDetails;

  constructor(status: number, problem: ProblemDetails) {
    super(describeProblem(problem));
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }

  get code(): string | undefined {
    return this.problem.code;
  }

  get errors(): ProblemFieldError[] {
    return this.problem.errors ?? [];
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/**
 * Normalises `errors`: our contract sends an array of {code, message, activityId?, input?};
 * ASP.NET's ValidationProblemDetails sends an object {field: [messages]}. Accept both.
 */
export function normaliseErrors(raw: unknown): ProblemFieldError[] | undefined {
  if (Array.isArray(raw)) {
    return raw.map((e): ProblemFieldError => {
      if (typeof e === 'string') return { code: 'error', message: e };
      const r = isRecord(e) ? e : {};
      return {
        code: str(r.code) ?? 'error',
        message: str(r.message) ?? str(r.detail) ?? JSON.stringify(e),
        activityId: str(r.activityId) ?? null,
        input: str(r.input) ?? null,
      };
    });
  }
  if (isRecord(raw)) {
    const out: ProblemFieldError[] = [];
    for (const [field, messages] of Object.entries(raw)) {
      const list = Array.isArray(messages) ? messages : [messages];
      for (const m of list) out.push({ code: 'validation', message: `${field}: ${String(m)}`, input: field });
    }
    return out;
  }
  return undefined;
}

/** Builds problem details from a failed response body, whatever the server actually sent. */
export function parseProblem(status: number, statusText: string, body: string): ProblemDetails {
  let parsed: unknown = undefined;
  if (body.trim().length > 0) {
    try {
      parsed = JSON.parse(body);
    } catch {
      parsed = undefined;
    }
  }
  if (isRecord(parsed)) {
    return {
      type: str(parsed.type),
      title: str(parsed.title) ?? (statusText || `HTTP ${status}`),
      status: typeof parsed.status === 'number' ? parsed.status : status,
      detail: str(parsed.detail) ?? str(parsed.message) ?? str(parsed.error),
      code: str(parsed.code),
      errors: normaliseErrors(parsed.errors),
    };
  }
  const text = body.trim();
  return {
    title: statusText || `HTTP ${status}`,
    status,
    detail: text.length > 0 && text.length < 500 && !text.startsWith('<') ? text : undefined,
  };
}

/** One human sentence for a banner: the detail, else the title, else the status. */
export function describeProblem(p: ProblemDetails): string {
  const head = p.detail ?? p.title ?? (p.status ? `Request failed (HTTP ${p.status})` : 'Request failed');
  return head;
}

/** Message for any thrown value (ApiError, network error, anything). */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  if (e instanceof TypeError) return `Network error: ${e.message}. Is the server running?`;
  if (e instanceof Error) return e.message;
  return String(e);
}

/** Text of a run or step error: the host sends {code, message, activityId}; a plain string is accepted too. */
export function flowErrorText(e: FlowError | string | null | undefined): string | null {
  if (e == null) return null;
  if (typeof e === 'string') return e;
  return e.message || e.code || 'The step failed.';
}
