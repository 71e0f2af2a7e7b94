import { useState } from 'react';
import { ApiClient } from '../api/client';
import { ApiError, errorMessage } from '../api/problem';

/** Paste the management API key; it is checked against the API before it is stored. */
export function SignIn({ onSignIn, expired }: { onSignIn: (key: string) => void; expired?: boolean }) {
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const trimmed = key.trim();
    if (!trimmed) return;
    setBusy(true);
    setError(null);
    try {
      const probe = new ApiClient({ keys: { get: () => trimmed, set: () => {}, clear: () => {} } });
      await probe.listFlows();
      onSignIn(trimmed);
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? 'That API key was not accepted.' : errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="signin">
      <form className="card signin-card" onSubmit={submit}>
        <h1>FlowRuntime</h1>
        <p className="muted">Paste the management API key to sign in.</p>
        {expired && !error && (
          <div className="banner banner-info" data-testid="signin-expired">
            The API key was rejected (it may have been rotated). Sign in again to continue.
          </div>
        )}
        <label className="field">
          <span>API key</span>
          <input
            type="password"
            autoFocus
            autoComplete="off"
            value={key}
            onChange={(e) => setKey(e.target.value)}
            data-testid="api-key"
          />
        </label>
        {error && (
          <div className="banner banner-error" role="alert" data-testid="signin-error">
            {error}
          </div>
        )}
        <button type="submit" className="primary" disabled={busy || !key.trim()} data-testid="sign-in">
          {busy ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </div>
  );
}
