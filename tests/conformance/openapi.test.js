// The API as the ecosystem reads it: the live /openapi/v1.json passes Redocly's recommended rules with no error and no
// warning, and a client generated from it (openapi-typescript types, openapi-fetch calls) compiles and works against AdoBridge.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { start } = require('./adobridge');

let bridge;
let document;
const documentFile = path.join(__dirname, '.openapi-build', 'openapi.json');
const bin = name => path.join(__dirname, 'node_modules', '.bin', name);

before(async () => {
  bridge = await start();
  const response = await fetch(`${bridge.base}/openapi/v1.json`);
  assert.equal(response.status, 200);
  document = await response.json();
  fs.mkdirSync(path.dirname(documentFile), { recursive: true });
  fs.writeFileSync(documentFile, JSON.stringify(document, null, 2));
});
after(() => bridge?.stop());

test('Redocly recommended rules: no errors and no warnings', () => {
  let output;
  try {
    output = execFileSync(bin('redocly'), ['lint', documentFile, '--config', path.join(__dirname, 'redocly.yaml'), '--format', 'json'],
      { encoding: 'utf8', env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    output = e.stdout; // exit 1 on errors; the JSON says which
  }
  const report = JSON.parse(output.slice(output.indexOf('{')));
  const problems = report.problems.filter(p => p.severity === 'error' || p.severity === 'warn')
    .map(p => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location?.[0]?.pointer}`);
  assert.deepEqual(problems, [], problems.join('\n'));
  assert.equal(report.totals.errors, 0);
  assert.equal(report.totals.warnings, 0);
});

test('every operation has a unique camelCase operationId, a summary, and problem details for its errors', () => {
  const ids = new Set();
  for (const [route, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      const where = `${method.toUpperCase()} ${route}`;
      assert.match(operation.operationId ?? '', /^[a-z][A-Za-z]+$/, `${where} has no camelCase operationId`);
      assert.ok(!ids.has(operation.operationId), `${where}: operationId ${operation.operationId} is used twice`);
      ids.add(operation.operationId);
      assert.ok(operation.summary, `${where} has no summary`);
      const errors = Object.entries(operation.responses).filter(([status]) => Number(status) >= 400);
      for (const [status, response] of errors) {
        assert.equal(response.content?.['application/problem+json']?.schema?.$ref, '#/components/schemas/Problem', `${where} ${status} is not problem details`);
        assert.match(response.description, /`code`: `[a-z_]+`/, `${where} ${status} names no code`);
      }
      for (const parameter of operation.parameters ?? []) {
        assert.ok(parameter.description, `${where}: parameter ${parameter.name} (${parameter.in}) has no description`);
      }
      const open = operation.security?.length === 0;
      assert.equal(open, route === '/healthz' || route === '/readyz' || route.startsWith('/hooks/'), `${where}: security is ${JSON.stringify(operation.security)}`);
      if (!open) assert.ok(operation.responses['401'], `${where} documents no 401`);
    }
  }
  assert.ok(ids.size >= 70, `only ${ids.size} operations`);
});

test('request bodies mark as required only what the server needs', () => {
  const schema = document.components.schemas.CreateConnectSessionRequest;
  assert.deepEqual(schema.required, ['endUserId']);
  for (const [name, property] of Object.entries(schema.properties)) {
    assert.equal(property.type, 'string', `${name} should be a plain optional string, not nullable`);
    assert.ok(property.description, `${name} has no description`);
  }
  assert.deepEqual(document.components.schemas.CreateConnectionRequest.properties.type.enum, ['pat', 'service-principal']);
  assert.deepEqual(document.components.schemas.CreatePullRequest.required, ['sourceRef', 'targetRef', 'title']);
  const listEvents = document.paths['/v1/events'].get;
  assert.deepEqual(listEvents.parameters.find(p => p.name === 'status').schema.enum, ['pending', 'delivered', 'failed', 'dead', 'none']);
});

test('a client generated from the document compiles and works against AdoBridge', async () => {
  const dir = path.join(__dirname, 'openapi-client');
  execFileSync(bin('openapi-typescript'), [documentFile, '--output', path.join(dir, 'schema.d.ts')], { stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    execFileSync(bin('tsc'), ['-p', path.join(dir, 'tsconfig.json')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    assert.fail(`the generated client does not compile against the document:\n${e.stdout}${e.stderr}`);
  }
  const { walkthrough } = require('./.openapi-build/client.js');
  const sandbox = await bridge.api('GET', '/v1/sandbox');
  const result = await walkthrough(bridge.base, bridge.apiKey, sandbox.organization, sandbox.pat);

  assert.deepEqual(result.status, { createConnectSession: 201, createConnection: 201, listConnections: 200, listProjects: 200, createWebhookEndpoint: 201, getConnection: 404 });
  assert.match(result.connectSession.url, /\/connect\//);
  assert.equal(result.connection.status, 'active');
  assert.ok(result.connections.items.some(c => c.id === result.connection.id));
  assert.ok(result.projects.items.some(p => p.name === sandbox.project));
  assert.match(result.endpoint.secret, /^whsec_/);
  assert.equal(result.missing.code, 'connection_not_found');

  // What the server answered has every field the document calls required, of the documented type.
  const check = (value, schemaName) => {
    const schema = document.components.schemas[schemaName];
    for (const field of schema.required ?? []) assert.ok(field in value, `${schemaName}.${field} is required by the document but missing from the answer`);
    for (const [field, property] of Object.entries(schema.properties ?? {})) {
      if (!(field in value) || !property.type) continue;
      const types = [].concat(property.type);
      const actual = value[field] === null ? 'null' : Array.isArray(value[field]) ? 'array' : Number.isInteger(value[field]) ? 'integer' : typeof value[field];
      assert.ok(types.includes(actual) || (actual === 'integer' && types.includes('number')), `${schemaName}.${field} is ${actual}, documented as ${types}`);
    }
  };
  check(result.connectSession, 'ConnectSessionView');
  check(result.connection, 'ConnectionView');
  check(result.connections, 'ConnectionList');
  check(result.endpoint, 'WebhookEndpointWithSecret');
  check(result.missing, 'Problem');
});
