// AdoBridge's webhooks pass the reference verifier of the Standard Webhooks specification (npm `standardwebhooks`):
// a lifecycle event (connection.created) and, end to end over real HTTP, a pull request created through the proxy and one merged by the sandbox trigger.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const { Webhook } = require('standardwebhooks');
const { start } = require('./adobridge');

let bridge;
let receiver;
let endpoint;
const received = [];
const waiters = [];

// The product's endpoint: keeps each request's raw body and headers, answers 204.
function startReceiver() {
  return new Promise(resolve => {
    const server = http.createServer((request, response) => {
      const chunks = [];
      request.on('data', c => chunks.push(c));
      request.on('end', () => {
        received.push({ body: Buffer.concat(chunks).toString('utf8'), headers: request.headers });
        response.writeHead(204).end();
        waiters.splice(0).forEach(w => w());
      });
    });
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

async function receive(type, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const hit = received.find(r => JSON.parse(r.body).type === type);
    if (hit) return hit;
    if (Date.now() > deadline) throw new Error(`no ${type} webhook within ${timeoutMs} ms; got ${received.map(r => JSON.parse(r.body).type).join(', ') || 'nothing'}`);
    await new Promise(r => { waiters.push(r); setTimeout(r, 200); });
  }
}

before(async () => {
  bridge = await start();
  receiver = await startReceiver();
  endpoint = await bridge.api('POST', '/v1/webhook-endpoints', {
    url: `http://127.0.0.1:${receiver.address().port}/hooks/adobridge`,
    events: ['connection.created', 'pull_request.*'],
    description: 'conformance',
  });
});

after(() => {
  receiver?.close();
  bridge?.stop();
});

test('the endpoint secret has the Standard Webhooks shape', () => {
  assert.match(endpoint.secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
});

test('connection.created verifies with the reference verifier', async () => {
  const sandbox = await bridge.api('GET', '/v1/sandbox');
  const connection = await bridge.api('POST', '/v1/connections', { type: 'pat', endUserId: 'standard-webhooks', organization: 'fabrikam', pat: sandbox.pat });

  const hook = await receive('connection.created');

  const payload = new Webhook(endpoint.secret).verify(hook.body, hook.headers);
  assert.equal(payload.type, 'connection.created');
  assert.equal(payload.connectionId, connection.id);
  assert.equal(payload.id, hook.headers['webhook-id']);
  assert.match(hook.headers['content-type'], /^application\/json/);
  assert.throws(() => new Webhook(endpoint.secret).verify(hook.body.replace('standard-webhooks', 'someone-else'), hook.headers));
  const wrong = 'whsec_' + Buffer.alloc(32, 7).toString('base64');
  assert.throws(() => new Webhook(wrong).verify(hook.body, hook.headers));
});

test('a pull request created through the proxy arrives as pull_request.created and verifies', async () => {
  const sandbox = await bridge.api('GET', '/v1/sandbox');
  const connection = await bridge.api('POST', '/v1/connections', { type: 'pat', endUserId: 'pr-flow', organization: 'fabrikam', pat: sandbox.pat });
  const project = 'Fabrikam-Fiber-Git';
  const subscribe = await fetch(`${bridge.base}/v1/connections/${connection.id}/subscriptions`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${bridge.apiKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ organization: 'fabrikam', project, events: ['git.pullrequest.created'] }),
  });
  assert.equal(subscribe.status, 201, await subscribe.text());

  const created = await fetch(`${bridge.base}/v1/proxy/${connection.id}/fabrikam/${project}/_apis/git/repositories/${project}/pullrequests?api-version=7.1`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${bridge.apiKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ sourceRefName: 'refs/heads/users/bob/readme-typo', targetRefName: 'refs/heads/main', title: 'Fix README typo (conformance)' }),
  });
  assert.equal(created.status, 201, await created.clone().text());
  const pullRequest = await created.json();

  const hook = await receive('pull_request.created');

  const payload = new Webhook(endpoint.secret).verify(hook.body, hook.headers);
  assert.equal(payload.type, 'pull_request.created');
  assert.equal(payload.connectionId, connection.id);
  assert.equal(payload.organization, 'fabrikam');
  assert.ok(JSON.stringify(payload.data).includes(String(pullRequest.pullRequestId)), 'the data names the pull request');
  const logged = await bridge.api('GET', `/v1/events/${payload.id}`);
  assert.equal(logged.source, 'azure_devops');
  assert.equal(logged.rawPayload.eventType, 'git.pullrequest.created');
});

test('a pull request merged by the sandbox trigger arrives as pull_request.merged and verifies', async () => {
  const triggered = await bridge.api('POST', '/v1/sandbox/trigger', { event: 'pull_request.merged' });
  assert.ok(triggered.eventId, `the trigger saw its event stored: ${JSON.stringify(triggered)}`);

  const hook = await receive('pull_request.merged');

  const payload = new Webhook(endpoint.secret).verify(hook.body, hook.headers);
  assert.equal(payload.id, triggered.eventId);
  assert.equal(payload.azureDevOpsEventId, triggered.azureDevOpsEventId);
  assert.ok(JSON.stringify(payload.data).includes(String(triggered.resource.pullRequestId)), 'the data names the pull request');
});
