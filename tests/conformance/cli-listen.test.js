// The real, built `adobridge listen` forwards events made by `adobridge trigger` to a local receiver that checks each
// with the reference Standard Webhooks verifier (npm `standardwebhooks`); after the server restarts mid-stream, the
// receiver has had every event exactly once.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn, execFile } = require('node:child_process');
const { Webhook } = require('standardwebhooks');
const { start, dll } = require('./adobridge');

const secret = 'whsec_' + Buffer.from('cli-listen-conformance-secret!!!').toString('base64');
let bridge;
let receiver;
let listen;
let configHome;
const received = [];
let stderr = '';

function cliEnv() {
  return { ...process.env, ADOBRIDGE_URL: bridge.base, ADOBRIDGE_API_KEY: bridge.apiKey, XDG_CONFIG_HOME: configHome, NO_COLOR: '1' };
}

function cli(...args) {
  return new Promise((resolve, reject) => {
    execFile('dotnet', [dll, ...args], { env: cliEnv(), timeout: 60_000 }, (error, stdout, err) => {
      if (error) reject(new Error(`adobridge ${args.join(' ')} exited ${error.code}: ${err}`));
      else resolve(stdout);
    });
  });
}

async function until(condition, what, ms = 30_000) {
  for (const deadline = Date.now() + ms; Date.now() < deadline;) {
    if (condition()) return;
    await new Promise(r => setTimeout(r, 100));
  }
  assert.fail(`timed out waiting for ${what}; listen said: ${stderr}`);
}

before(async () => {
  bridge = await start();
  configHome = fs.mkdtempSync(path.join(os.tmpdir(), 'adobridge-cli-'));
  receiver = await new Promise(resolve => {
    const server = http.createServer((request, response) => {
      const chunks = [];
      request.on('data', c => chunks.push(c));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        // Throws on a wrong signature, a stale timestamp or a missing header: the reference verifier's verdict.
        const payload = new Webhook(secret).verify(body, request.headers);
        received.push({ id: request.headers['webhook-id'], payload });
        response.writeHead(204).end();
      });
    });
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
  const forwardTo = `http://127.0.0.1:${receiver.address().port}/hooks`;
  listen = spawn('dotnet', [dll, 'listen', '--forward-to', forwardTo, '--secret', secret, '--events', 'pull_request.*', '-o', 'json'],
    { env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  listen.stderr.on('data', d => { stderr += d; });
  listen.stdout.on('data', () => {});
  await until(() => stderr.includes('Connected to'), 'listen to connect');
});

after(() => {
  listen?.kill('SIGTERM');
  receiver?.close();
  bridge?.stop();
  if (configHome) fs.rmSync(configHome, { recursive: true, force: true });
});

test('listen forwards triggered pull requests, verified, exactly once across a server restart', async () => {
  const first = JSON.parse(await cli('trigger', 'pull_request.created', '-o', 'json'));
  assert.ok(first.eventId, `the trigger saw its event stored: ${JSON.stringify(first)}`);
  await until(() => received.some(r => r.id === first.eventId), 'the first event at the receiver');
  assert.equal(received.find(r => r.id === first.eventId).payload.type, 'pull_request.created');

  await bridge.restart();
  await until(() => (stderr.match(/Connected to/g) || []).length >= 2, 'listen to reconnect after the restart');

  const second = JSON.parse(await cli('trigger', 'pull_request.commented', '-o', 'json'));
  const third = JSON.parse(await cli('trigger', 'pull_request.merged', '-o', 'json'));
  await until(() => received.some(r => r.id === third.eventId), 'the last event at the receiver');
  const ids = received.map(r => r.id);
  assert.deepEqual(ids.filter(id => [first.eventId, second.eventId, third.eventId].includes(id)), [first.eventId, second.eventId, third.eventId]);
  assert.equal(new Set(ids).size, ids.length, `no event twice: ${ids.join(', ')}`);
  assert.ok(received.every(r => r.payload.type.startsWith('pull_request.')), 'only the filtered types');
});
