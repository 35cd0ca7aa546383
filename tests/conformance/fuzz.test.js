// Bad input never gets a 5xx: for every operation in the live /openapi/v1.json, bounded bad variants of every body field,
// query and path parameter and of the body as a whole; then the connect pages and ingest. Every error must be problem
// details with a `code` (pages: an HTML page), and no answer may echo a secret (the API key, the sandbox PAT).
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { start } = require('./adobridge');

let bridge;
let document;
let sandbox;
let secrets;
const known = {};

const LONE_SURROGATE = '"\\ud800"'; // JSON text: a string escape that is not valid Unicode
const HUGE = 'A'.repeat(100_000);
const CONTROL = 'a\u0000b\r\nc\u001b[31m';

// JSON texts to put where a field's value goes.
const fieldVariants = [
  ['wrong type (number)', '12345'],
  ['wrong type (object)', '{"nested":{"deeper":true}}'],
  ['wrong type (array)', '[1,"two",null]'],
  ['null', 'null'],
  ['invalid Unicode', LONE_SURROGATE],
  ['invalid Unicode inside text', '"abc\\udfffdef"'],
  ['oversize string', JSON.stringify(HUGE)],
  ['control characters', JSON.stringify(CONTROL)],
  ['HTML', JSON.stringify('<script>alert(1)</script>')],
  ['huge number', '1e400'],
  ['huge integer', '123456789012345678901234567890'],
  ['negative number', '-1'],
  ['empty string', '""'],
];

const queryVariants = [
  ['invalid cursor', '!!!not-a-cursor!!!'],
  ['invalid Unicode', '%ED%A0%80'],
  ['oversize', 'B'.repeat(8_000)],
  ['huge number', '99999999999999999999999'],
  ['negative', '-5'],
  ['control characters', '%00%0D%0A'],
  ['empty', ''],
];

const pathVariants = [
  ['unknown id', 'does_not_exist_123'],
  ['NUL and CRLF', '%00%0D%0Ax'],
  ['invalid Unicode', '%ED%A0%80'],
  ['oversize', 'C'.repeat(3_000)],
  ['dot segment', '..%2F..%2Fadmin'],
  ['negative number', '-1'],
  ['huge number', '99999999999999999999'],
];

before(async () => {
  bridge = await start();
  document = await (await fetch(`${bridge.base}/openapi/v1.json`)).json();
  sandbox = await bridge.api('GET', '/v1/sandbox');
  const connection = await bridge.api('POST', '/v1/connections', { type: 'pat', endUserId: 'fuzz', organization: sandbox.organization, pat: sandbox.pat });
  const endpoint = await bridge.api('POST', '/v1/webhook-endpoints', { url: 'https://receiver.contoso.example/hooks', events: ['*'] });
  known.id = connection.id;
  known.org = sandbox.organization;
  known.project = sandbox.project;
  known.repo = sandbox.project;
  known.name = 'sandbox';
  known.endpointId = endpoint.id;
  secrets = [bridge.apiKey, sandbox.pat, endpoint.secret].filter(Boolean);
});
after(() => bridge?.stop());

// A value for a path parameter that reaches the handler: real ids where destroying them would not spoil later requests.
function pathValue(name, method) {
  if (method === 'delete') return 'does_not_exist_1';
  switch (name) {
    case 'id': return known.id;
    case 'org': return known.org;
    case 'project': return known.project;
    case 'repo': return known.repo;
    case 'name': return 'fuzz-app';
    default: return '1';
  }
}

function resolve(schema) {
  if (schema?.$ref) return document.components.schemas[schema.$ref.split('/').pop()];
  return schema ?? {};
}

// A plausible body: the documented example, else one built from the schema.
function baseline(schema, depth = 0) {
  schema = resolve(schema);
  const type = [].concat(schema.type ?? 'object').find(t => t !== 'null');
  if (schema.enum) return schema.enum[0];
  switch (type) {
    case 'string': return 'fuzz';
    case 'integer': case 'number': return 1;
    case 'boolean': return true;
    case 'array': return depth > 3 ? [] : [baseline(schema.items, depth + 1)];
    default: {
      const out = {};
      for (const [key, value] of Object.entries(schema.properties ?? {})) out[key] = depth > 3 ? null : baseline(value, depth + 1);
      return out;
    }
  }
}

function* requests() {
  for (const [route, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      const params = operation.parameters ?? [];
      const path = values => route.replace(/\{([^}]+)\}/g, (_, name) => values[name] ?? encodeURIComponent(pathValue(name, method)));
      const media = operation.requestBody?.content?.['application/json'];
      const body = media ? (media.example ?? baseline(media.schema)) : undefined;
      const json = body === undefined ? undefined : JSON.stringify(body);
      const where = `${method.toUpperCase()} ${route}`;

      for (const parameter of params.filter(p => p.in === 'path')) {
        for (const [label, value] of pathVariants) yield { where: `${where} path ${parameter.name}: ${label}`, method, url: path({ [parameter.name]: value }), json };
      }

      for (const parameter of params.filter(p => p.in === 'query')) {
        for (const [label, value] of queryVariants) yield { where: `${where} query ${parameter.name}: ${label}`, method, url: `${path({})}?${parameter.name}=${value}`, json };
      }

      if (json !== undefined) {
        const url = path({});
        yield { where: `${where} body without Content-Type`, method, url, json, contentType: null };
        yield { where: `${where} body as text/plain`, method, url, json, contentType: 'text/plain' };
        yield { where: `${where} malformed JSON`, method, url, raw: '{"a":' };
        yield { where: `${where} empty body`, method, url, raw: '' };
        yield { where: `${where} JSON array`, method, url, raw: '[]' };
        yield { where: `${where} deep nesting`, method, url, raw: '['.repeat(5000) + ']'.repeat(5000) };
        yield { where: `${where} invalid Unicode as the body`, method, url, raw: LONE_SURROGATE };
        if (body && typeof body === 'object' && !Array.isArray(body)) {
          for (const field of Object.keys(body)) {
            for (const [label, value] of fieldVariants) {
              // The body with one field's value replaced by raw JSON text (which may not be valid Unicode).
              const raw = JSON.stringify({ ...body, [field]: '\u0000MARK\u0000' }).replace('"\\u0000MARK\\u0000"', value);
              yield { where: `${where} field ${field}: ${label}`, method, url, raw };
              if (body[field] && typeof body[field] === 'object') {
                // Inside an object-valued field too (dictionaries such as pipeline variables pass values through).
                const inner = JSON.stringify({ ...body, [field]: { key: '\u0000MARK\u0000' } }).replace('"\\u0000MARK\\u0000"', value);
                yield { where: `${where} field ${field}.key: ${label}`, method, url, raw: inner };
              }
            }
          }
        }
      }
    }
  }
}

async function send(request) {
  const headers = { Authorization: `Bearer ${bridge.apiKey}` };
  let body;
  if (request.raw !== undefined) { body = request.raw; headers['Content-Type'] = 'application/json'; }
  else if (request.json !== undefined) { body = request.json; if (request.contentType !== null) headers['Content-Type'] = request.contentType ?? 'application/json'; }
  const response = await fetch(bridge.base + request.url, { method: request.method.toUpperCase(), headers, body: request.method === 'get' ? undefined : body, redirect: 'manual' });
  const type = response.headers.get('content-type') ?? '';
  // An event stream that was accepted never ends on its own: its answer is the status and type; stop reading.
  if (type.startsWith('text/event-stream')) { await response.body?.cancel(); return { status: response.status, type, text: '' }; }
  return { status: response.status, type, text: await response.text() };
}

function verdict(request, answer, page = false) {
  // Kestrel refuses a request target holding an encoded NUL before any of AdoBridge runs: a bare 400 that closes the connection.
  if (answer.status === 400 && answer.text === '' && /%00/.test(request.url)) return null;
  if (answer.status >= 500) return `${request.where}: ${answer.status} ${answer.text.slice(0, 300)}`;
  for (const secret of secrets) if (answer.text.includes(secret)) return `${request.where}: the answer echoes a secret`;
  if (answer.status >= 400) {
    if (page) {
      if (!answer.type.startsWith('text/html')) return `${request.where}: ${answer.status} is not a page (${answer.type}): ${answer.text.slice(0, 200)}`;
    } else {
      if (!answer.type.startsWith('application/problem+json')) return `${request.where}: ${answer.status} is not problem details (${answer.type}): ${answer.text.slice(0, 200)}`;
      let code;
      try { code = JSON.parse(answer.text).code; } catch { return `${request.where}: ${answer.status} problem is not JSON`; }
      if (typeof code !== 'string' || !/^[a-z_]+$/.test(code)) return `${request.where}: ${answer.status} problem has no code`;
    }
  }
  return null;
}

async function runAll(list, check) {
  const failures = [];
  let next = 0;
  const worker = async () => {
    while (next < list.length) {
      const request = list[next++];
      try {
        const problem = check(request, await send(request));
        if (problem) failures.push(problem);
      } catch (e) {
        failures.push(`${request.where}: the request failed (${e.cause?.code ?? e.message})`);
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return failures;
}

test('every operation answers bad input with 4xx problem details, never a 5xx or a secret', { timeout: 150_000 }, async () => {
  const list = [...requests()];
  assert.ok(list.length > 1000, `only ${list.length} requests`);
  const failures = await runAll(list, (request, answer) => verdict(request, answer));
  assert.deepEqual(failures.slice(0, 60), [], `${failures.length} of ${list.length} requests failed:\n${failures.slice(0, 60).join('\n')}`);
});

test('the connect pages answer bad input with a page and ingest with problem details, never a 5xx', { timeout: 60_000 }, async () => {
  const session = await bridge.api('POST', '/v1/connect-sessions', { endUserId: 'fuzz-pages' });
  const token = session.url.split('/connect/')[1];
  const forms = [
    ['not a form', 'application/json', '{"pat":"x"}'],
    ['bad multipart', 'multipart/form-data; boundary=zzz', '--zzz\r\nContent-Disposition: form-data; name="pat"\r\n\r\nx'],
    ['too many fields', 'application/x-www-form-urlencoded', Array.from({ length: 1100 }, (_, i) => `f${i}=1`).join('&')],
    ['NUL in a value', 'application/x-www-form-urlencoded', 'organization=fab%00rikam&pat=abc'],
    ['CRLF in a value', 'application/x-www-form-urlencoded', 'organization=fab%0d%0arikam&pat=abc'],
    ['100 KB PAT', 'application/x-www-form-urlencoded', `organization=fabrikam&pat=${'p'.repeat(100_000)}`],
    ['invalid UTF-8', 'application/x-www-form-urlencoded', 'organization=%ff%fe&pat=%c0%ae'],
    ['no body', 'application/x-www-form-urlencoded', ''],
  ];
  const list = [];
  for (const step of ['start', 'pat', 'organizations']) {
    for (const [label, type, body] of forms) list.push({ where: `POST /connect/{token}/${step} ${label}`, url: `/connect/${token}/${step}`, type, body });
  }
  for (const bad of ['x', 'C'.repeat(3000), '%00', '%ED%A0%80']) list.push({ where: `GET /connect/${bad.slice(0, 12)}`, url: `/connect/${bad}`, get: true });
  list.push({ where: 'GET /connect/callback without state', url: '/connect/callback?code=abc', get: true });
  list.push({ where: 'GET /connect/callback with a forged state', url: '/connect/callback?code=abc&state=%00forged', get: true });

  const failures = [];
  for (const request of list) {
    const response = await fetch(bridge.base + request.url, request.get
      ? { redirect: 'manual' }
      : { method: 'POST', headers: { 'Content-Type': request.type, Origin: bridge.base }, body: request.body, redirect: 'manual' });
    const answer = { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
    const problem = verdict(request, answer, true);
    if (problem) failures.push(problem);
  }

  const ingest = [
    ['unknown path', '/hooks/ado/unknown', 'application/json', '{}'],
    ['invalid Unicode', '/hooks/ado/unknown', 'application/json', LONE_SURROGATE],
    ['not JSON', '/hooks/ado/unknown', 'text/plain', 'hello'],
    ['oversize path', `/hooks/ado/${'D'.repeat(3000)}`, 'application/json', '{}'],
  ];
  for (const [label, url, type, body] of ingest) {
    const request = { where: `POST ${url.slice(0, 30)} ${label}` };
    const response = await fetch(bridge.base + url, { method: 'POST', headers: { 'Content-Type': type, Authorization: 'Basic ' + Buffer.from('adobridge:wrong').toString('base64') }, body });
    const problem = verdict(request, { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() });
    if (problem) failures.push(problem);
  }
  assert.deepEqual(failures, []);
});
