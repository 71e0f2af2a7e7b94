// Shapes of the FlowRuntime management API (see the issue-6 contract).

export type InputType = 'string' | 'number' | 'boolean' | 'json' | 'dictionary';
export type UiHint =
  | 'singleline'
  | 'multiline'
  | 'dropdown'
  | 'checkbox'
  | 'json'
  | 'keyvalue'
  | 'mappings'
  | 'integration'
  | 'code';

export interface InputDescriptor {
  name: string;
  displayName: string;
  description?: string | null;
  type: InputType;
  uiHint: UiHint;
  options: string[] | null;
  defaultValue: unknown;
  required: boolean;
  secret: boolean;
}

export interface ActivityDescriptor {
  type: string;
  displayName: string;
  category: string;
  description?: string | null;
  outcomes: string[];
  inputs: InputDescriptor[];
}

export interface Position {
  x: number;
  y: number;
}

export interface ActivityDefinition {
  id: string;
  type: string;
  inputs: Record<string, unknown>;
  position: Position;
}

export interface ConnectionDefinition {
  source: string;
  outcome: string;
  target: string;
}

export interface FlowDefinition {
  id?: string;
  name: string;
  trigger: { type: string; channel?: string };
  start: string | null;
  activities: ActivityDefinition[];
  connections: ConnectionDefinition[];
}

export interface FlowSummary {
  id: string;
  name: string;
  publishedVersion: number | null;
  updatedAt: string;
}

export interface FlowDetail extends FlowSummary {
  definition: FlowDefinition;
  /** What must be fixed before the draft can be published (drafts are saved even when invalid). */
  errors?: ProblemFieldError[];
}

export interface FlowVersion {
  version: number;
  publishedAt: string;
}

/** Why a step or a run failed, as the host sends it ({code, message, activityId}). */
export interface FlowError {
  code: string;
  message: string;
  activityId?: string | null;
}

export interface JournalEntry {
  activityId: string;
  type: string;
  outcome: string | null;
  startedAt: string;
  durationMs: number;
  variables: Record<string, unknown> | null;
  error?: FlowError | string | null;
  notes?: string[] | null;
}

export type RunStatus = 'completed' | 'suspended' | 'faulted';

export interface RunResult {
  instanceId: string;
  status: RunStatus;
  replies: string[];
  variables: Record<string, unknown>;
  journal: JournalEntry[];
  error?: FlowError | string | null;
}

export type GrantType = 'authorization_code' | 'client_credentials';
export type ClientAuth = 'basic' | 'body';
export type IntegrationStatus = 'incomplete' | 'authorized' | 'error' | 'needs_reauthorization' | 'disconnected';
export type Health = 'green' | 'yellow' | 'red';

export interface Integration {
  id: string;
  name: string;
  grantType: GrantType;
  status: IntegrationStatus;
  health: Health;
  callbackUrl: string;
  clientId: string;
  scopes: string[];
  authorizationUrl: string | null;
  tokenUrl: string;
  revocationUrl: string | null;
  issuer: string | null;
  preset: string | null;
  /** The preset's variant (e.g. a Zoho data centre); it also decides the API base URL. */
  variant?: string | null;
  authorizeParams: Record<string, string>;
  clientAuth: ClientAuth;
  usePkce: boolean;
  successRedirectUrl: string | null;
  failureRedirectUrl: string | null;
  lastError: string | null;
  hasClientSecret: boolean;
}

export interface IntegrationRequest {
  name: string;
  grantType: GrantType;
  clientId: string;
  clientSecret?: string;
  scopes: string[];
  authorizationUrl: string | null;
  tokenUrl: string;
  revocationUrl: string | null;
  issuer: string | null;
  preset: string | null;
  variant?: string | null;
  authorizeParams: Record<string, string>;
  clientAuth: ClientAuth;
  usePkce: boolean;
  successRedirectUrl: string | null;
  failureRedirectUrl: string | null;
}

export interface PresetVariant {
  key: string;
  displayName: string;
  authorizationUrl: string;
  tokenUrl: string;
  revocationUrl?: string | null;
  apiBaseUrl?: string;
}

export interface Preset {
  key: string;
  displayName: string;
  authorizationUrl: string;
  tokenUrl: string;
  revocationUrl?: string | null;
  scopes?: string[];
  scopeSeparator?: string;
  authorizeParams?: Record<string, string>;
  clientAuth?: ClientAuth;
  usePkce?: boolean;
  variants?: PresetVariant[];
}

export interface IntegrationLog {
  at: string;
  kind: string;
  success: boolean;
  durationMs: number | null;
  httpStatus: number | null;
  error: string | null;
  message: string | null;
}

export interface ProblemFieldError {
  code: string;
  message: string;
  activityId?: string | null;
  input?: string | null;
}

export interface ProblemDetails {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  errors?: ProblemFieldError[];
}
