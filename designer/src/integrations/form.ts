import type { ClientAuth, GrantType, Integration, IntegrationRequest, Preset } from '../api/types';

export interface KeyValueRow {
  key: string;
  value: string;
}

/** What the Add/Edit integration form holds; strings as typed by the user. */
export interface IntegrationForm {
  name: string;
  preset: string;
  variant: string;
  grantType: GrantType;
  clientId: string;
  clientSecret: string;
  scopes: string;
  authorizationUrl: string;
  tokenUrl: string;
  revocationUrl: string;
  issuer: string;
  authorizeParams: KeyValueRow[];
  clientAuth: ClientAuth;
  usePkce: boolean;
  successRedirectUrl: string;
  failureRedirectUrl: string;
}

export function emptyForm(): IntegrationForm {
  return {
    name: '',
    preset: '',
    variant: '',
    grantType: 'authorization_code',
    clientId: '',
    clientSecret: '',
    scopes: '',
    authorizationUrl: '',
    tokenUrl: '',
    revocationUrl: '',
    issuer: '',
    authorizeParams: [],
    clientAuth: 'body',
    usePkce: true,
    successRedirectUrl: '',
    failureRedirectUrl: '',
  };
}

/** "contacts, deals  users.read" → ["contacts", "deals", "users.read"] (comma or whitespace). */
export function parseScopes(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean))];
}

export function rowsToRecord(rows: KeyValueRow[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of rows) {
    const k = r.key.trim();
    if (k) out[k] = r.value;
  }
  return out;
}

export function recordToRows(rec: Record<string, unknown> | null | undefined): KeyValueRow[] {
  return Object.entries(rec ?? {}).map(([key, value]) => ({ key, value: value == null ? '' : String(value) }));
}

const blankToNull = (s: string) => (s.trim() === '' ? null : s.trim());

/**
 * Form → request body. An empty secret is left out: on edit that keeps the stored one (the API
 * never returns it), on create it allows public PKCE clients.
 */
export function formToRequest(f: IntegrationForm): IntegrationRequest {
  const req: IntegrationRequest = {
    name: f.name.trim(),
    grantType: f.grantType,
    clientId: f.clientId.trim(),
    scopes: parseScopes(f.scopes),
    authorizationUrl: f.grantType === 'client_credentials' ? blankToNull(f.authorizationUrl) : f.authorizationUrl.trim(),
    tokenUrl: f.tokenUrl.trim(),
    revocationUrl: blankToNull(f.revocationUrl),
    issuer: blankToNull(f.issuer),
    preset: blankToNull(f.preset),
    authorizeParams: rowsToRecord(f.authorizeParams),
    clientAuth: f.clientAuth,
    usePkce: f.grantType === 'authorization_code' ? f.usePkce : false,
    successRedirectUrl: blankToNull(f.successRedirectUrl),
    failureRedirectUrl: blankToNull(f.failureRedirectUrl),
  };
  // The variant (e.g. Zoho's data centre) also decides the API base URL on the server.
  if (req.preset && f.variant) req.variant = f.variant;
  if (f.clientSecret !== '') req.clientSecret = f.clientSecret;
  return req;
}

export function integrationToForm(i: Integration): IntegrationForm {
  return {
    name: i.name,
    preset: i.preset ?? '',
    variant: i.variant ?? '',
    grantType: i.grantType,
    clientId: i.clientId ?? '',
    clientSecret: '',
    scopes: (i.scopes ?? []).join(' '),
    authorizationUrl: i.authorizationUrl ?? '',
    tokenUrl: i.tokenUrl ?? '',
    revocationUrl: i.revocationUrl ?? '',
    issuer: i.issuer ?? '',
    authorizeParams: recordToRows(i.authorizeParams),
    clientAuth: i.clientAuth ?? 'body',
    usePkce: i.usePkce ?? false,
    successRedirectUrl: i.successRedirectUrl ?? '',
    failureRedirectUrl: i.failureRedirectUrl ?? '',
  };
}

/**
 * Fills URLs and defaults from a preset (and optionally one of its variants, e.g. a Zoho data
 * centre). Everything a preset decides is replaced, so switching presets leaves nothing of the
 * previous one behind; name, client id, secret and (when the preset has none) scopes typed by
 * the user are kept, and a blank name gets the preset's.
 */
export function applyPreset(f: IntegrationForm, preset: Preset | undefined, variantKey = ''): IntegrationForm {
  if (!preset) return { ...f, preset: '', variant: '' };
  const variant = preset.variants?.find((v) => v.key === variantKey) ?? (variantKey ? undefined : preset.variants?.[0]);
  const defaults = emptyForm();
  return {
    ...f,
    preset: preset.key,
    variant: variant?.key ?? '',
    name: f.name.trim() ? f.name : preset.displayName,
    authorizationUrl: variant?.authorizationUrl ?? preset.authorizationUrl ?? '',
    tokenUrl: variant?.tokenUrl ?? preset.tokenUrl ?? '',
    revocationUrl: (variant ? variant.revocationUrl : null) ?? preset.revocationUrl ?? '',
    scopes: preset.scopes && preset.scopes.length > 0 ? preset.scopes.join(' ') : f.scopes,
    authorizeParams: recordToRows(preset.authorizeParams),
    clientAuth: preset.clientAuth ?? defaults.clientAuth,
    usePkce: preset.usePkce ?? defaults.usePkce,
  };
}

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}

/** Client-side checks before sending; the server validates again. Field → message. */
export function validateForm(f: IntegrationForm, mode: 'create' | 'edit'): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!f.name.trim()) errors.name = 'Name is required.';
  if (!f.clientId.trim()) errors.clientId = 'Client ID is required.';
  if (mode === 'create' && f.grantType === 'client_credentials' && !f.clientSecret)
    errors.clientSecret = 'Client secret is required for the client credentials grant.';
  if (f.grantType === 'authorization_code') {
    if (!f.authorizationUrl.trim()) errors.authorizationUrl = 'Authorization URL is required.';
    else if (!isHttpUrl(f.authorizationUrl.trim())) errors.authorizationUrl = 'Enter an absolute http(s) URL.';
  }
  if (!f.tokenUrl.trim()) errors.tokenUrl = 'Token URL is required.';
  else if (!isHttpUrl(f.tokenUrl.trim())) errors.tokenUrl = 'Enter an absolute http(s) URL.';
  for (const key of ['revocationUrl', 'issuer', 'successRedirectUrl', 'failureRedirectUrl'] as const) {
    const v = f[key].trim();
    if (v && !isHttpUrl(v) && !(key.endsWith('RedirectUrl') && v.startsWith('/'))) errors[key] = 'Enter an absolute http(s) URL.';
  }
  return errors;
}

/** Reads the banner the server asks for after the provider round trip. */
export function readAuthorizationResult(search: string):
  | { kind: 'success'; integrationId: string | null; integrationName: string | null }
  | { kind: 'error'; error: string; integrationId: string | null; integrationName: string | null }
  | null {
  const q = new URLSearchParams(search);
  const status = q.get('status');
  const integrationId = q.get('integrationId');
  const integrationName = q.get('integrationName');
  if (status === 'authorized') return { kind: 'success', integrationId, integrationName };
  if (status === 'error')
    return { kind: 'error', error: q.get('error') || q.get('error_description') || 'Authorization failed.', integrationId, integrationName };
  return null;
}
