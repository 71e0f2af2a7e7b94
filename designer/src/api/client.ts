import { ApiError, parseProblem } from './problem';
import type {
  ActivityDescriptor,
  FlowDefinition,
  FlowDetail,
  FlowSummary,
  FlowVersion,
  Integration,
  IntegrationLog,
  IntegrationRequest,
  Preset,
  RunResult,
} from './types';

export const API_KEY_STORAGE = 'flowruntime.apiKey';

export interface KeyStore {
  get(): string | null;
  set(key: string): void;
  clear(): void;
}

export function localStorageKeyStore(storage: Storage = window.localStorage): KeyStore {
  return {
    get: () => storage.getItem(API_KEY_STORAGE),
    set: (key) => storage.setItem(API_KEY_STORAGE, key),
    clear: () => storage.removeItem(API_KEY_STORAGE),
  };
}

export interface ApiClientOptions {
  keys: KeyStore;
  fetch?: typeof fetch;
  baseUrl?: string;
  /** Called on any 401; the app sends the user back to sign-in. */
  onUnauthorized?: () => void;
}

const enc = encodeURIComponent;

export class ApiClient {
  private readonly keys: KeyStore;
  private readonly fetchImpl: typeof fetch;
  private readonly baseUrl: string;
  onUnauthorized?: () => void;

  constructor(opts: ApiClientOptions) {
    this.keys = opts.keys;
    this.fetchImpl = opts.fetch ?? ((input, init) => fetch(input, init));
    this.baseUrl = opts.baseUrl ?? '';
    this.onUnauthorized = opts.onUnauthorized;
  }

  /** Sends a request; the API key travels only in the X-Api-Key header, never in the URL. */
  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    const key = this.keys.get();
    if (key) headers['X-Api-Key'] = key;
    let payload: string | undefined;
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const res = await this.fetchImpl(this.baseUrl + path, { method, headers, body: payload });
    const text = await res.text();
    if (!res.ok) {
      const problem = parseProblem(res.status, res.statusText, text);
      if (res.status === 401) this.onUnauthorized?.();
      throw new ApiError(res.status, problem);
    }
    if (res.status === 204 || text.trim() === '') return undefined as T;
    return JSON.parse(text) as T;
  }

  // Activities
  activities = () => this.request<ActivityDescriptor[]>('GET', '/api/activities');

  // Flows
  listFlows = () => this.request<FlowSummary[]>('GET', '/api/flows');
  getFlow = (id: string) => this.request<FlowDetail>('GET', `/api/flows/${enc(id)}`);
  createFlow = (def: FlowDefinition) => this.request<FlowDetail>('POST', '/api/flows', def);
  saveFlow = (id: string, def: FlowDefinition) => this.request<FlowDetail>('PUT', `/api/flows/${enc(id)}`, def);
  deleteFlow = (id: string) => this.request<void>('DELETE', `/api/flows/${enc(id)}`);
  publishFlow = (id: string) => this.request<{ version: number }>('POST', `/api/flows/${enc(id)}/publish`);
  listVersions = (id: string) => this.request<FlowVersion[]>('GET', `/api/flows/${enc(id)}/versions`);
  getVersion = (id: string, version: number) =>
    this.request<FlowDefinition>('GET', `/api/flows/${enc(id)}/versions/${version}`);
  runFlow = (id: string, body: { conversationId?: string; text?: string; variables?: Record<string, unknown> }) =>
    this.request<RunResult>('POST', `/api/flows/${enc(id)}/run`, body);

  // Integrations
  listIntegrations = (status?: string) =>
    this.request<Integration[]>('GET', `/api/integrations${status ? `?status=${enc(status)}` : ''}`);
  getIntegration = (id: string) => this.request<Integration>('GET', `/api/integrations/${enc(id)}`);
  createIntegration = (req: IntegrationRequest) => this.request<Integration>('POST', '/api/integrations', req);
  updateIntegration = (id: string, req: IntegrationRequest) =>
    this.request<Integration>('PUT', `/api/integrations/${enc(id)}`, req);
  deleteIntegration = (id: string) => this.request<void>('DELETE', `/api/integrations/${enc(id)}`);
  presets = () => this.request<Preset[]>('GET', '/api/integrations/presets');
  authorizeUrl = (id: string) =>
    this.request<{ authorizationUrl: string }>('GET', `/api/integrations/${enc(id)}/authorize`);
  connect = (id: string) => this.request<Integration | undefined>('POST', `/api/integrations/${enc(id)}/connect`);
  disconnect = (id: string) =>
    this.request<Integration | undefined>('POST', `/api/integrations/${enc(id)}/disconnect`);
  logs = (id: string) => this.request<IntegrationLog[]>('GET', `/api/integrations/${enc(id)}/logs`);
}
