import { describe, expect, it } from 'vitest';
import type { Integration, Preset } from '../api/types';
import { applyPreset, emptyForm, formToRequest, integrationToForm, parseScopes, readAuthorizationResult, validateForm } from './form';

const zoho: Preset = {
  key: 'zoho',
  displayName: 'Zoho',
  authorizationUrl: 'https://accounts.zoho.com/oauth/v2/auth',
  tokenUrl: 'https://accounts.zoho.com/oauth/v2/token',
  revocationUrl: 'https://accounts.zoho.com/oauth/v2/token/revoke',
  scopes: ['ZohoCRM.modules.ALL'],
  authorizeParams: { access_type: 'offline', prompt: 'consent' },
  clientAuth: 'body',
  usePkce: false,
  variants: [
    { key: 'com', displayName: 'US', authorizationUrl: 'https://accounts.zoho.com/oauth/v2/auth', tokenUrl: 'https://accounts.zoho.com/oauth/v2/token', apiBaseUrl: 'https://www.zohoapis.com' },
    { key: 'eu', displayName: 'EU', authorizationUrl: 'https://accounts.zoho.eu/oauth/v2/auth', tokenUrl: 'https://accounts.zoho.eu/oauth/v2/token', revocationUrl: 'https://accounts.zoho.eu/oauth/v2/token/revoke', apiBaseUrl: 'https://www.zohoapis.eu' },
  ],
};

const teamleaderForm = () => ({
  ...emptyForm(),
  name: 'teamleader',
  clientId: 'cid',
  clientSecret: 'shh',
  scopes: 'contacts, deals  companies',
  authorizationUrl: 'https://app.teamleader.eu/oauth2/authorize',
  tokenUrl: 'https://app.teamleader.eu/oauth2/access_token',
});

describe('formToRequest', () => {
  it('maps the seed fields, splits scopes and nulls blank optionals', () => {
    const req = formToRequest({ ...teamleaderForm(), authorizeParams: [{ key: 'prompt', value: 'consent' }, { key: ' ', value: 'dropped' }] });
    expect(req).toEqual({
      name: 'teamleader',
      grantType: 'authorization_code',
      clientId: 'cid',
      clientSecret: 'shh',
      scopes: ['contacts', 'deals', 'companies'],
      authorizationUrl: 'https://app.teamleader.eu/oauth2/authorize',
      tokenUrl: 'https://app.teamleader.eu/oauth2/access_token',
      revocationUrl: null,
      issuer: null,
      preset: null,
      authorizeParams: { prompt: 'consent' },
      clientAuth: 'body',
      usePkce: true,
      successRedirectUrl: null,
      failureRedirectUrl: null,
    });
  });

  it('leaves out an empty secret so editing keeps the stored one', () => {
    const req = formToRequest({ ...teamleaderForm(), clientSecret: '' });
    expect('clientSecret' in req).toBe(false);
  });

  it('turns PKCE off and allows no authorization URL for client credentials', () => {
    const req = formToRequest({ ...teamleaderForm(), grantType: 'client_credentials', authorizationUrl: '' });
    expect(req.usePkce).toBe(false);
    expect(req.authorizationUrl).toBeNull();
  });
});

describe('applyPreset', () => {
  it('fills URLs, scopes and params from the first variant and keeps user-typed credentials', () => {
    const f = applyPreset({ ...emptyForm(), clientId: 'mine', clientSecret: 's' }, zoho);
    expect(f).toMatchObject({
      preset: 'zoho',
      variant: 'com',
      name: 'Zoho',
      clientId: 'mine',
      clientSecret: 's',
      tokenUrl: 'https://accounts.zoho.com/oauth/v2/token',
      scopes: 'ZohoCRM.modules.ALL',
      usePkce: false,
    });
    expect(f.authorizeParams).toEqual([{ key: 'access_type', value: 'offline' }, { key: 'prompt', value: 'consent' }]);
  });

  it('uses the chosen data-centre variant', () => {
    const f = applyPreset({ ...emptyForm(), name: 'CRM' }, zoho, 'eu');
    expect(f.authorizationUrl).toBe('https://accounts.zoho.eu/oauth/v2/auth');
    expect(f.tokenUrl).toBe('https://accounts.zoho.eu/oauth/v2/token');
    expect(f.revocationUrl).toBe('https://accounts.zoho.eu/oauth/v2/token/revoke');
    expect(f.name).toBe('CRM');
  });

  it('sends the variant with the preset (the server derives the API base URL from it) and keeps it on edit', () => {
    const f = applyPreset({ ...emptyForm(), clientId: 'c' }, zoho, 'eu');
    expect(formToRequest(f)).toMatchObject({ preset: 'zoho', variant: 'eu' });
    expect('variant' in formToRequest(teamleaderForm())).toBe(false);
  });

  it('leaves nothing of the previous preset behind when switching', () => {
    const teamleader: Preset = { key: 'teamleader', displayName: 'Teamleader', authorizationUrl: 'https://app.teamleader.eu/oauth2/authorize', tokenUrl: 'https://app.teamleader.eu/oauth2/access_token' };
    const f = applyPreset(applyPreset({ ...emptyForm(), name: 'tl', scopes: 'contacts' }, zoho, 'eu'), teamleader);
    expect(f).toMatchObject({ preset: 'teamleader', variant: '', revocationUrl: '', usePkce: true, clientAuth: 'body' });
    expect(f.authorizeParams).toEqual([]);
    expect(f.scopes).toBe('ZohoCRM.modules.ALL');
  });

  it('keeps scopes the user typed when the preset has none', () => {
    const teamleader: Preset = { key: 'teamleader', displayName: 'Teamleader', authorizationUrl: 'https://a', tokenUrl: 'https://t', scopes: [] };
    expect(applyPreset({ ...emptyForm(), scopes: 'contacts' }, teamleader).scopes).toBe('contacts');
  });

  it('clears the preset when none is picked', () => {
    expect(applyPreset({ ...emptyForm(), preset: 'zoho' }, undefined).preset).toBe('');
  });
});

describe('validateForm', () => {
  it('accepts the Teamleader example', () => {
    expect(validateForm(teamleaderForm(), 'create')).toEqual({});
  });

  it('requires name, client id, URLs and rejects relative token URLs', () => {
    const e = validateForm({ ...emptyForm(), tokenUrl: '/token' }, 'create');
    expect(Object.keys(e).sort()).toEqual(['authorizationUrl', 'clientId', 'name', 'tokenUrl']);
    expect(e.tokenUrl).toMatch(/absolute/);
  });

  it('needs a secret for client credentials on create but not on edit', () => {
    const f = { ...teamleaderForm(), grantType: 'client_credentials' as const, clientSecret: '' };
    expect(validateForm(f, 'create').clientSecret).toBeDefined();
    expect(validateForm(f, 'edit').clientSecret).toBeUndefined();
  });
});

describe('integrationToForm', () => {
  it('round-trips through formToRequest without the secret', () => {
    const i: Integration = {
      id: 'i1', name: 'tl', grantType: 'authorization_code', status: 'authorized', health: 'green', callbackUrl: 'https://h/oauth/callback/i1',
      clientId: 'c', scopes: ['a', 'b'], authorizationUrl: 'https://a', tokenUrl: 'https://t', revocationUrl: null, issuer: null, preset: null,
      authorizeParams: { prompt: 'consent' }, clientAuth: 'basic', usePkce: true, successRedirectUrl: null, failureRedirectUrl: null, lastError: null, hasClientSecret: true,
    };
    const req = formToRequest(integrationToForm(i));
    expect(req).toMatchObject({ name: 'tl', scopes: ['a', 'b'], authorizeParams: { prompt: 'consent' }, clientAuth: 'basic' });
    expect('clientSecret' in req).toBe(false);
    expect(integrationToForm({ ...i, preset: 'zoho', variant: 'eu' }).variant).toBe('eu');
    expect(integrationToForm({ ...i, preset: 'zoho', variant: 'eu' }).variant).toBe('eu');
  });
});

describe('parseScopes / readAuthorizationResult', () => {
  it('dedupes scopes', () => {
    expect(parseScopes('a a,b')).toEqual(['a', 'b']);
  });

  it('reads the redirect query', () => {
    expect(readAuthorizationResult('?integrationId=1&integrationName=tl&status=authorized')).toEqual({ kind: 'success', integrationId: '1', integrationName: 'tl' });
    expect(readAuthorizationResult('?status=error&error=access_denied')).toMatchObject({ kind: 'error', error: 'access_denied' });
    expect(readAuthorizationResult('?foo=1')).toBeNull();
  });
});
