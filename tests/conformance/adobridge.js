// Starts a real AdoBridge (the Release build that ./test.sh made) in sandbox mode on a free port, for the conformance tests.
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const apiKey = 'adbk_conformance01_' + 'c'.repeat(43);

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => { const { port } = server.address(); server.close(() => resolve(port)); });
    server.on('error', reject);
  });
}

const dll = path.resolve(__dirname, '../../src/AdoBridge/bin/Release/net10.0/adobridge.dll');

async function start() {
  if (!fs.existsSync(dll)) throw new Error(`${dll} is missing: build first (dotnet build AdoBridge.slnx -c Release), as ./test.sh does.`);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'adobridge-conformance-'));
  let child;
  const launch = async () => {
    child = spawn('dotnet', [dll, '--urls', base], {
      env: { ...process.env, ADOBRIDGE_DATA_DIR: dataDir, ADOBRIDGE_BOOTSTRAP_API_KEY: apiKey, Logging__LogLevel__Default: 'Warning' },
      stdio: ['ignore', process.env.ADOBRIDGE_CONFORMANCE_VERBOSE ? 'inherit' : 'ignore', 'inherit'],
    });
    for (let i = 0; i < 300; i++) {
      try { if ((await fetch(`${base}/readyz`)).ok) break; } catch { /* not up yet */ }
      await new Promise(r => setTimeout(r, 100));
    }
  };
  await launch();
  // Stops the server (SIGTERM, a graceful shutdown) and starts it again on the same port and data.
  const restart = async () => {
    const exited = new Promise(r => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    await launch();
  };
  const api = async (method, url, body) => {
    const response = await fetch(base + url, {
      method,
      headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${url} answered ${response.status}: ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  return { base, apiKey, api, restart, stop: () => { child.kill('SIGTERM'); fs.rmSync(dataDir, { recursive: true, force: true }); } };
}

module.exports = { start, dll };
