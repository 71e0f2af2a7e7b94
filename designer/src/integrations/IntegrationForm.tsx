import { useState } from 'react';
import type { Integration, Preset } from '../api/types';
import { applyPreset, type IntegrationForm as FormState } from './form';

function Field({ label, error, hint, children }: { label: string; error?: string; hint?: string; children: React.ReactNode }) {
  return (
    <label className={`field ${error ? 'has-error' : ''}`}>
      <span className="field-label">{label}</span>
      {children}
      {hint && <span className="field-hint">{hint}</span>}
      {error && <span className="field-error">{error}</span>}
    </label>
  );
}

export function IntegrationFormView({ form, setForm, presets, errors, mode, existing, busy, onSubmit, onCancel }: {
  form: FormState;
  setForm: (f: FormState) => void;
  presets: Preset[];
  errors: Record<string, string>;
  mode: 'create' | 'edit';
  existing: Integration | null;
  busy: boolean;
  onSubmit: () => void;
  onCancel: () => void;
}) {
  const [advanced, setAdvanced] = useState(mode === 'edit' && (form.grantType !== 'authorization_code' || form.authorizeParams.length > 0));
  const preset = presets.find((p) => p.key === form.preset);
  const set = <K extends keyof FormState>(key: K, value: FormState[K]) => setForm({ ...form, [key]: value });
  const isCode = form.grantType === 'authorization_code';

  return (
    <form
      className="card integration-form"
      data-testid="integration-form"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      <h2>{mode === 'create' ? 'Add integration' : `Edit ${existing?.name ?? 'integration'}`}</h2>
      <div className="form-grid">
        <Field label="Provider preset" hint="Fills in the URLs and defaults for a known provider.">
          <select
            value={form.preset}
            onChange={(e) => setForm(applyPreset(form, presets.find((p) => p.key === e.target.value)))}
            data-testid="integration-preset"
          >
            <option value="">Generic OAuth 2.0 (no preset)</option>
            {presets.map((p) => (
              <option key={p.key} value={p.key}>{p.displayName}</option>
            ))}
          </select>
        </Field>
        {preset?.variants && preset.variants.length > 0 && (
          <Field label="Data centre / region" hint="Accounts in different regions use different URLs.">
            <select value={form.variant} onChange={(e) => setForm(applyPreset(form, preset, e.target.value))} data-testid="integration-variant">
              {preset.variants.map((v) => (
                <option key={v.key} value={v.key}>{v.displayName}</option>
              ))}
            </select>
          </Field>
        )}
        <Field label="Name" error={errors.name} hint="Shown in the OAuth integration dropdown of Flow Builder steps.">
          <input value={form.name} onChange={(e) => set('name', e.target.value)} data-testid="integration-name" autoFocus />
        </Field>
        <Field label="OAuth client ID" error={errors.clientId}>
          <input value={form.clientId} onChange={(e) => set('clientId', e.target.value)} autoComplete="off" data-testid="integration-client-id" />
        </Field>
        <Field
          label="OAuth client secret"
          error={errors.clientSecret}
          hint={mode === 'edit' && existing?.hasClientSecret ? 'A secret is stored. Leave empty to keep it.' : undefined}
        >
          <input
            type="password"
            value={form.clientSecret}
            placeholder={mode === 'edit' && existing?.hasClientSecret ? '•••••••• (unchanged)' : ''}
            onChange={(e) => set('clientSecret', e.target.value)}
            autoComplete="new-password"
            data-testid="integration-client-secret"
          />
        </Field>
        <Field label="OAuth scopes" error={errors.scopes} hint="Separate scopes with spaces or commas, e.g. contacts">
          <input value={form.scopes} onChange={(e) => set('scopes', e.target.value)} data-testid="integration-scopes" />
        </Field>
        {isCode && (
          <Field label="OAuth endpoint authorization URL" error={errors.authorizationUrl} hint="Where you log in to grant access, e.g. https://app.teamleader.eu/oauth2/authorize">
            <input value={form.authorizationUrl} onChange={(e) => set('authorizationUrl', e.target.value)} data-testid="integration-authorization-url" />
          </Field>
        )}
        <Field label="OAuth endpoint token URL" error={errors.tokenUrl} hint="Where the code is exchanged for an access token.">
          <input value={form.tokenUrl} onChange={(e) => set('tokenUrl', e.target.value)} data-testid="integration-token-url" />
        </Field>
        {existing?.callbackUrl && <CallbackUrl url={existing.callbackUrl} />}
      </div>

      <button type="button" className="link advanced-toggle" onClick={() => setAdvanced(!advanced)} aria-expanded={advanced} data-testid="advanced-toggle">
        {advanced ? '▾' : '▸'} Advanced
      </button>
      {advanced && (
        <div className="form-grid" data-testid="advanced-section">
          <Field label="Grant type">
            <select value={form.grantType} onChange={(e) => set('grantType', e.target.value as FormState['grantType'])} data-testid="integration-grant-type">
              <option value="authorization_code">Authorization code (user logs in)</option>
              <option value="client_credentials">Client credentials (server to server)</option>
            </select>
          </Field>
          <Field label="Client authentication" hint="How the client id and secret are sent to the token URL.">
            <select value={form.clientAuth} onChange={(e) => set('clientAuth', e.target.value as FormState['clientAuth'])} data-testid="integration-client-auth">
              <option value="body">In the request body</option>
              <option value="basic">HTTP Basic header</option>
            </select>
          </Field>
          {isCode && (
            <label className="checkbox">
              <input type="checkbox" checked={form.usePkce} onChange={(e) => set('usePkce', e.target.checked)} data-testid="integration-use-pkce" />
              <span>Use PKCE (recommended)</span>
            </label>
          )}
          <Field label="Revocation URL" error={errors.revocationUrl} hint="Called on Disconnect to revoke the tokens (optional).">
            <input value={form.revocationUrl} onChange={(e) => set('revocationUrl', e.target.value)} data-testid="integration-revocation-url" />
          </Field>
          <Field label="Issuer" error={errors.issuer} hint="OpenID issuer for discovery and mix-up defence (optional).">
            <input value={form.issuer} onChange={(e) => set('issuer', e.target.value)} data-testid="integration-issuer" />
          </Field>
          {isCode && (
            <div className="field">
              <span className="field-label">Extra authorize parameters</span>
              {form.authorizeParams.map((row, i) => (
                <div className="rows-row" key={i}>
                  <input
                    value={row.key}
                    placeholder="access_type"
                    onChange={(e) => set('authorizeParams', form.authorizeParams.map((r, j) => (j === i ? { ...r, key: e.target.value } : r)))}
                    data-testid={`authorize-param-key-${i}`}
                  />
                  <span className="rows-arrow">=</span>
                  <input
                    value={row.value}
                    placeholder="offline"
                    onChange={(e) => set('authorizeParams', form.authorizeParams.map((r, j) => (j === i ? { ...r, value: e.target.value } : r)))}
                    data-testid={`authorize-param-value-${i}`}
                  />
                  <button type="button" className="icon-button" onClick={() => set('authorizeParams', form.authorizeParams.filter((_, j) => j !== i))} data-testid={`authorize-param-remove-${i}`}>
                    ×
                  </button>
                </div>
              ))}
              <button type="button" className="small" onClick={() => set('authorizeParams', [...form.authorizeParams, { key: '', value: '' }])} data-testid="authorize-param-add">
                + Add parameter
              </button>
            </div>
          )}
          {isCode && (
            <>
              <Field label="Success redirect URL" error={errors.successRedirectUrl} hint="Where the browser goes after authorizing. Default: this Integrations page.">
                <input value={form.successRedirectUrl} onChange={(e) => set('successRedirectUrl', e.target.value)} data-testid="integration-success-redirect-url" />
              </Field>
              <Field label="Failure redirect URL" error={errors.failureRedirectUrl}>
                <input value={form.failureRedirectUrl} onChange={(e) => set('failureRedirectUrl', e.target.value)} data-testid="integration-failure-redirect-url" />
              </Field>
            </>
          )}
        </div>
      )}
      <div className="dialog-actions">
        <button type="button" onClick={onCancel} data-testid="integration-cancel">Cancel</button>
        <button type="submit" className="primary" disabled={busy} data-testid="integration-save">
          {busy ? 'Saving…' : mode === 'create' ? 'Save' : 'Save changes'}
        </button>
      </div>
    </form>
  );
}

export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Clipboard API needs a secure context; fall back to a hidden textarea.
    const ta = document.createElement('textarea');
    ta.value = text;
    ta.style.position = 'fixed';
    ta.style.opacity = '0';
    document.body.appendChild(ta);
    ta.select();
    const ok = document.execCommand('copy');
    ta.remove();
    return ok;
  }
}

export function CallbackUrl({ url }: { url: string }) {
  const [copied, setCopied] = useState<boolean | null>(null);
  return (
    <div className="field">
      <span className="field-label">Authorization callback URL</span>
      <div className="copy-row">
        <input readOnly value={url} onFocus={(e) => e.target.select()} data-testid="callback-url" className="mono" />
        <button
          type="button"
          onClick={async () => {
            setCopied(await copyText(url));
            setTimeout(() => setCopied(null), 2000);
          }}
          data-testid="copy-callback-url"
        >
          {copied === true ? 'Copied!' : copied === false ? 'Copy failed' : 'Copy'}
        </button>
      </div>
      <span className="field-hint">Paste this into the provider's app settings as the redirect URL.</span>
    </div>
  );
}
