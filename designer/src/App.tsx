import { useEffect, useState } from 'react';
import { api, keyStore } from './api/context';
import { Link, matchRoute, navigate, useLocation } from './router';
import { SignIn } from './pages/SignIn';
import { FlowsList } from './pages/FlowsList';
import { FlowEditor } from './pages/FlowEditor';
import { Integrations } from './pages/Integrations';

const RETURN_TO = 'flowruntime.returnTo';

export function App() {
  const { pathname, search } = useLocation();
  const [hasKey, setHasKey] = useState(() => !!keyStore.get());
  const [expired, setExpired] = useState(false);
  const route = matchRoute(pathname);

  useEffect(() => {
    api.onUnauthorized = () => {
      keyStore.clear();
      setExpired(true);
      setHasKey(false);
    };
  }, []);

  // Signed out (or key rejected): remember where we were (path + query, e.g. the OAuth banner) and go to sign-in.
  useEffect(() => {
    if (!hasKey && route.page !== 'signin') {
      sessionStorage.setItem(RETURN_TO, pathname + search);
      navigate('/signin', { replace: true });
    }
  }, [hasKey, route.page, pathname, search]);

  const signIn = (key: string) => {
    keyStore.set(key);
    setExpired(false);
    setHasKey(true);
    const back = sessionStorage.getItem(RETURN_TO);
    sessionStorage.removeItem(RETURN_TO);
    navigate(back && !back.startsWith('/signin') ? back : '/flows', { replace: true });
  };

  const signOut = () => {
    keyStore.clear();
    sessionStorage.removeItem(RETURN_TO);
    setHasKey(false);
    navigate('/signin');
  };

  if (route.page === 'signin' || !hasKey) return <SignIn onSignIn={signIn} expired={expired} />;

  return (
    <div className={`app ${route.page === 'editor' ? 'app-editor' : ''}`}>
      <header className="topbar">
        <Link to="/flows" className="brand">FlowRuntime</Link>
        <nav>
          <Link to="/flows" className={route.page === 'flows' || route.page === 'editor' ? 'active' : ''} data-testid="nav-flows">
            Flows
          </Link>
          <Link to="/integrations" className={route.page === 'integrations' ? 'active' : ''} data-testid="nav-integrations">
            Integrations
          </Link>
        </nav>
        <span className="spacer" />
        <button onClick={signOut} data-testid="sign-out">Sign out</button>
      </header>
      <main>
        {route.page === 'flows' && <FlowsList />}
        {route.page === 'editor' && <FlowEditor key={route.flowId} flowId={route.flowId} />}
        {route.page === 'integrations' && <Integrations />}
        {route.page === 'notfound' && (
          <div className="page">
            <h1>Page not found</h1>
            <Link to="/flows">Back to flows</Link>
          </div>
        )}
      </main>
    </div>
  );
}
