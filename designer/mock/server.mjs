// In-memory stand-in for the FlowRuntime management API (issue-6 contract), for working on the
// designer without the .NET host: `npm run build && npm run mock`, then open http://127.0.0.1:5199
// (API key: dev-key). Not used by the real product or by the unit tests.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const PORT = Number(process.env.MOCK_PORT ?? 5199);
const API_KEY = process.env.MOCK_API_KEY ?? 'dev-key';
const ROOT = fileURLToPath(new URL('../../runtime/FlowRuntime.Host/wwwroot/', import.meta.url));
const BASE = `http://127.0.0.1:${PORT}`;

const input = (name, displayName, uiHint, extra = {}) => ({
  name, displayName, description: null, type: 'string', uiHint, options: null, defaultValue: null, required: false, secret: false, ...extra,
});

const activities = [
  { type: 'SendMessage', displayName: 'Send Message', category: 'Conversation', description: 'Replies with a message.', outcomes: ['Done'],
    inputs: [input('text', 'Text', 'multiline', { required: true })] },
  { type: 'AskQuestion', displayName: 'Ask Question', category: 'Conversation', description: 'Asks and waits for the answer.', outcomes: ['Done'],
    inputs: [input('question', 'Question', 'multiline', { required: true }), input('variable', 'Save answer as', 'singleline', { required: true })] },
  { type: 'SetVariable', displayName: 'Set Variable', category: 'Control', description: 'Sets a flow variable.', outcomes: ['Done'],
    inputs: [input('name', 'Name', 'singleline', { required: true }), input('value', 'Value', 'singleline')] },
  { type: 'Branch', displayName: 'Branch', category: 'Control', description: 'JavaScript condition.', outcomes: ['True', 'False'],
    inputs: [input('condition', 'Condition', 'code', { required: true })] },
  { type: 'HttpRequest', displayName: 'HTTP Request', category: 'HTTP', description: 'Calls an HTTP API.', outcomes: ['Success', 'Failure', 'Timeout'],
    inputs: [
      input('integration', 'OAuth integration', 'integration'),
      input('method', 'Method', 'dropdown', { options: ['GET', 'POST', 'PUT', 'DELETE'], defaultValue: 'GET', required: true }),
      input('url', 'URL', 'singleline', { required: true }),
      input('headers', 'Headers', 'keyvalue', { type: 'dictionary' }),
      input('body', 'Body', 'json'),
      input('output', 'Save response', 'mappings', { type: 'dictionary' }),
      input('timeoutSeconds', 'Timeout (s)', 'singleline', { type: 'number', defaultValue: 30 }),
      input('followRedirects', 'Follow redirects', 'checkbox', { type: 'boolean', defaultValue: true }),
    ] },
  { type: 'FetchVariables', displayName: 'Fetch Variables', category: 'HTTP', description: 'GET JSON and map it into variables.', outcomes: ['Success', 'Failure'],
    inputs: [input('integration', 'OAuth integration', 'integration'), input('url', 'URL', 'singleline', { required: true }), input('output', 'Variables', 'mappings', { type: 'dictionary' })] },
];

const presets = [
  { key: 'google', displayName: 'Google', authorizationUrl: 'https://accounts.google.com/o/oauth2/auth', tokenUrl: 'https://oauth2.googleapis.com/token', revocationUrl: 'https://oauth2.googleapis.com/revoke', scopes: [], authorizeParams: { access_type: 'offline', prompt: 'consent' }, usePkce: true },
  { key: 'zoho', displayName: 'Zoho', authorizationUrl: 'https://accounts.zoho.com/oauth/v2/auth', tokenUrl: 'https://accounts.zoho.com/oauth/v2/token', scopes: ['ZohoCRM.modules.ALL'], scopeSeparator: ',', authorizeParams: { access_type: 'offline' },
    variants: [
      { key: 'com', displayName: 'United States (.com)', authorizationUrl: 'https://accounts.zoho.com/oauth/v2/auth', tokenUrl: 'https://accounts.zoho.com/oauth/v2/token', apiBaseUrl: 'https://www.zohoapis.com' },
      { key: 'eu', displayName: 'Europe (.eu)', authorizationUrl: 'https://accounts.zoho.eu/oauth/v2/auth', tokenUrl: 'https://accounts.zoho.eu/oauth/v2/token', apiBaseUrl: 'https://www.zohoapis.eu' },
    ] },
  { key: 'intercom', displayName: 'Intercom', authorizationUrl: 'https://app.intercom.com/oauth', tokenUrl: 'https://api.intercom.io/auth/eagle/token' },
  { key: 'teamleader', displayName: 'Teamleader', authorizationUrl: 'https://app.teamleader.eu/oauth2/authorize', tokenUrl: 'https://app.teamleader.eu/oauth2/access_token', scopes: [] },
];

const flows = new Map(); // id -> {id, name, publishedVersion, updatedAt, definition, versions: [{version, publishedAt, definition}]}
const instances = new Map(); // flowId:conversationId -> {variables, bookmark}
const integrations = new Map();
const logs = new Map();

const problem = (res, status, code, detail, errors) =>
  send(res, status, { type: `https://flowruntime.dev/errors/${code}`, title: detail, status, detail, code, ...(errors ? { errors } : {}) }, 'application/problem+json');

function send(res, status, body, type = 'application/json') {
  res.writeHead(status, { 'Content-Type': type });
  res.end(body === undefined ? '' : JSON.stringify(body));
}

async function readBody(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  const text = Buffer.concat(chunks).toString();
  return text ? JSON.parse(text) : {};
}

const summary = (f) => ({ id: f.id, name: f.name, publishedVersion: f.publishedVersion, updatedAt: f.updatedAt });
const detail = (f) => ({ ...summary(f), definition: f.definition });
const typeMap = new Map(activities.map((a) => [a.type, a]));

function validate(def, strict) {
  const errors = [];
  for (const a of def.activities ?? []) {
    const d = typeMap.get(a.type);
    if (!d) { errors.push({ code: 'activity_type_unknown', message: `Unknown activity type ${a.type}.`, activityId: a.id }); continue; }
    if (!strict) continue;
    for (const i of d.inputs) {
      const v = a.inputs?.[i.name];
      if (i.required && (v === undefined || v === null || v === '')) errors.push({ code: 'input_required', message: `${i.displayName} is required.`, activityId: a.id, input: i.name });
    }
  }
  if (strict && (def.activities ?? []).length > 0 && !def.start) errors.push({ code: 'start_missing', message: 'The flow has no start activity.' });
  if (strict && (def.activities ?? []).length === 0) errors.push({ code: 'flow_empty', message: 'The flow has no activities.' });
  return errors;
}

const render = (t, vars) =>
  String(t ?? '').replace(/(\{\{\s*([\w.$]+)\s*\}\}|<<\s*([\w.$]+)\s*>>)/g, (_, _m, a, b) => {
    const name = a ?? b;
    const v = name.split('.').reduce((o, k) => (o == null ? undefined : o[k]), vars);
    if (v === undefined) throw new Error(`Variable '${name}' is not defined.`);
    return String(v);
  });

function runFlow(flow, body) {
  const def = flow.definition;
  const key = `${flow.id}:${body.conversationId ?? randomUUID()}`;
  let inst = instances.get(key);
  const journal = [];
  const replies = [];
  if (!inst || !inst.bookmark) {
    inst = { id: randomUUID(), variables: { contact: { id: 'test-contact', name: 'Tester' }, ...(body.variables ?? {}) }, bookmark: null, next: def.start };
    instances.set(key, inst);
  }
  let current = inst.bookmark ?? inst.next;
  let resuming = !!inst.bookmark;
  inst.bookmark = null;
  const byId = new Map(def.activities.map((a) => [a.id, a]));
  for (let steps = 0; current && steps < 100; steps++) {
    const a = byId.get(current);
    if (!a) break;
    const started = new Date();
    let outcome = 'Done';
    let error = null;
    try {
      switch (a.type) {
        case 'SendMessage': replies.push(render(a.inputs.text, inst.variables)); break;
        case 'AskQuestion':
          if (!resuming) {
            replies.push(render(a.inputs.question, inst.variables));
            inst.bookmark = a.id;
            journal.push({ activityId: a.id, type: a.type, outcome: null, startedAt: started.toISOString(), durationMs: 1, variables: { ...inst.variables }, error: null });
            instances.set(key, inst);
            return { instanceId: inst.id, status: 'suspended', replies, variables: inst.variables, journal, error: null };
          }
          inst.variables[a.inputs.variable] = body.text ?? '';
          resuming = false;
          break;
        case 'SetVariable': inst.variables[a.inputs.name] = render(a.inputs.value, inst.variables); break;
        case 'Branch': outcome = /false/i.test(a.inputs.condition ?? '') ? 'False' : 'True'; break;
        default: outcome = 'Failure'; inst.variables.lastError = 'The mock server does not call HTTP APIs.';
      }
    } catch (e) {
      error = e.message;
    }
    journal.push({ activityId: a.id, type: a.type, outcome: error ? null : outcome, startedAt: started.toISOString(), durationMs: 1 + Math.floor(Math.random() * 5), variables: { ...inst.variables }, error });
    if (error) {
      instances.delete(key);
      return { instanceId: inst.id, status: 'faulted', replies, variables: inst.variables, journal, error };
    }
    current = def.connections.find((c) => c.source === a.id && c.outcome === outcome)?.target ?? null;
  }
  instances.delete(key);
  return { instanceId: inst.id, status: 'completed', replies, variables: inst.variables, journal, error: null };
}

const integrationView = (i) => { const { clientSecret, ...rest } = i; return { ...rest, hasClientSecret: !!clientSecret }; };
const log = (id, kind, success, extra = {}) => (logs.get(id) ?? logs.set(id, []).get(id)).push({ at: new Date().toISOString(), kind, success, durationMs: 12, httpStatus: success ? 200 : 400, error: null, message: null, ...extra });

function integrationFrom(body, existing) {
  const id = existing?.id ?? randomUUID().slice(0, 8);
  return {
    id,
    name: body.name,
    grantType: body.grantType ?? 'authorization_code',
    status: existing?.status ?? 'incomplete',
    health: existing?.health ?? 'yellow',
    callbackUrl: `${BASE}/oauth/callback/${id}`,
    clientId: body.clientId,
    clientSecret: body.clientSecret ?? existing?.clientSecret ?? '',
    scopes: body.scopes ?? [],
    authorizationUrl: body.authorizationUrl ?? null,
    tokenUrl: body.tokenUrl,
    revocationUrl: body.revocationUrl ?? null,
    issuer: body.issuer ?? null,
    preset: body.preset ?? null,
    authorizeParams: body.authorizeParams ?? {},
    clientAuth: body.clientAuth ?? 'body',
    usePkce: body.usePkce ?? true,
    successRedirectUrl: body.successRedirectUrl ?? null,
    failureRedirectUrl: body.failureRedirectUrl ?? null,
    lastError: existing?.lastError ?? null,
  };
}

async function api(req, res, url) {
  if (req.headers['x-api-key'] !== API_KEY) return problem(res, 401, 'api_key_invalid', 'A valid X-Api-Key header is required.');
  const parts = url.pathname.split('/').filter(Boolean).slice(1); // drop "api"
  const m = req.method;
  const [area, id, sub, subId] = parts;

  if (area === 'activities' && m === 'GET') return send(res, 200, activities);

  if (area === 'flows') {
    if (!id && m === 'GET') return send(res, 200, [...flows.values()].map(summary));
    if (!id && m === 'POST') {
      const def = await readBody(req);
      const errors = validate(def, false);
      if (errors.length) return problem(res, 400, 'flow_invalid', 'The flow definition is invalid.', errors);
      const fid = randomUUID().slice(0, 8);
      const f = { id: fid, name: def.name ?? 'Untitled', publishedVersion: null, updatedAt: new Date().toISOString(), definition: { ...def, id: fid }, versions: [] };
      flows.set(fid, f);
      return send(res, 201, detail(f));
    }
    const f = flows.get(id);
    if (!f) return problem(res, 404, 'flow_not_found', `Flow ${id} was not found.`);
    if (!sub && m === 'GET') return send(res, 200, detail(f));
    if (!sub && m === 'PUT') {
      const def = await readBody(req);
      const errors = validate(def, false);
      if (errors.length) return problem(res, 400, 'flow_invalid', 'The flow definition is invalid.', errors);
      f.definition = { ...def, id };
      f.name = def.name ?? f.name;
      f.updatedAt = new Date().toISOString();
      return send(res, 200, detail(f));
    }
    if (!sub && m === 'DELETE') { flows.delete(id); return send(res, 204); }
    if (sub === 'publish' && m === 'POST') {
      const errors = validate(f.definition, true);
      if (errors.length) return problem(res, 400, 'flow_invalid', `The flow has ${errors.length} problem(s).`, errors);
      const version = f.versions.length + 1;
      f.versions.push({ version, publishedAt: new Date().toISOString(), definition: structuredClone(f.definition) });
      f.publishedVersion = version;
      return send(res, 200, { version });
    }
    if (sub === 'versions' && !subId && m === 'GET') return send(res, 200, f.versions.map(({ version, publishedAt }) => ({ version, publishedAt })));
    if (sub === 'versions' && subId && m === 'GET') {
      const v = f.versions.find((x) => x.version === Number(subId));
      return v ? send(res, 200, v.definition) : problem(res, 404, 'version_not_found', 'No such version.');
    }
    if (sub === 'run' && m === 'POST') return send(res, 200, runFlow(f, await readBody(req)));
  }

  if (area === 'integrations') {
    if (id === 'presets' && m === 'GET') return send(res, 200, presets);
    if (!id && m === 'GET') {
      const status = url.searchParams.get('status');
      return send(res, 200, [...integrations.values()].filter((i) => !status || i.status === status).map(integrationView));
    }
    if (!id && m === 'POST') {
      const body = await readBody(req);
      if (!body.name) return problem(res, 400, 'integration_invalid', 'The integration is invalid.', [{ code: 'name_required', message: 'Name is required.', input: 'name' }]);
      const i = integrationFrom(body);
      integrations.set(i.id, i);
      return send(res, 201, integrationView(i));
    }
    const i = integrations.get(id);
    if (!i) return problem(res, 404, 'integration_not_found', `Integration ${id} was not found.`);
    if (!sub && m === 'GET') return send(res, 200, integrationView(i));
    if (!sub && m === 'PUT') { const n = integrationFrom(await readBody(req), i); integrations.set(id, n); return send(res, 200, integrationView(n)); }
    if (!sub && m === 'DELETE') { integrations.delete(id); return send(res, 204); }
    if (sub === 'authorize' && m === 'GET') {
      const target = `${BASE}/oauth/mock-provider?integrationId=${encodeURIComponent(id)}`;
      if ((req.headers.accept ?? '').includes('application/json')) return send(res, 200, { authorizationUrl: target });
      res.writeHead(302, { Location: target }); return res.end();
    }
    if (sub === 'connect' && m === 'POST') { i.status = 'authorized'; i.health = 'green'; log(id, 'token', true); return send(res, 200, integrationView(i)); }
    if (sub === 'disconnect' && m === 'POST') { i.status = 'disconnected'; log(id, 'revoke', true); return send(res, 200, integrationView(i)); }
    if (sub === 'logs' && m === 'GET') return send(res, 200, logs.get(id) ?? []);
  }
  return problem(res, 404, 'not_found', `No route for ${m} ${url.pathname}.`);
}

const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json' };

createServer(async (req, res) => {
  const url = new URL(req.url, BASE);
  try {
    if (url.pathname.startsWith('/api/')) return await api(req, res, url);
    if (url.pathname === '/health') return send(res, 200, { status: 'ok' });
    if (url.pathname === '/oauth/mock-provider') {
      // Pretend the user logged in at the provider and granted access.
      const i = integrations.get(url.searchParams.get('integrationId'));
      if (!i) { res.writeHead(302, { Location: '/integrations?status=error&error=unknown_integration' }); return res.end(); }
      i.status = 'authorized'; i.health = 'yellow'; log(i.id, 'authorization_code', true);
      res.writeHead(302, { Location: `/integrations?integrationId=${i.id}&integrationName=${encodeURIComponent(i.name)}&status=authorized` });
      return res.end();
    }
    // Static files, with the SPA fallback to index.html the real host also does.
    let file = normalize(join(ROOT, url.pathname));
    if (!file.startsWith(ROOT) || !extname(file)) file = join(ROOT, 'index.html');
    const body = await readFile(file).catch(() => null);
    if (!body) return problem(res, 404, 'not_found', 'No such file.');
    res.writeHead(200, { 'Content-Type': types[extname(file)] ?? 'application/octet-stream' });
    res.end(body);
  } catch (e) {
    problem(res, 500, 'internal', String(e?.message ?? e));
  }
}).listen(PORT, '127.0.0.1', () => console.log(`mock FlowRuntime API on ${BASE} (X-Api-Key: ${API_KEY})`));
