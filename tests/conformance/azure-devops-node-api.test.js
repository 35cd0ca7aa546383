// Microsoft's official Node client (azure-devops-node-api), given AdoBridge's proxy URL for a connection as its
// organisation URL and AdoBridge's API key as its credential, works against the emulator through the proxy.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const azdev = require('azure-devops-node-api');
const { start } = require('./adobridge');

let bridge;
let connection;
let webApi;
const project = 'Fabrikam-Fiber-Git';

before(async () => {
  bridge = await start();
  const sandbox = await bridge.api('GET', '/v1/sandbox');
  connection = await bridge.api('POST', '/v1/connections', { type: 'pat', endUserId: 'node-client', organization: 'fabrikam', pat: sandbox.pat });
  webApi = new azdev.WebApi(`${bridge.base}/v1/proxy/${connection.id}/fabrikam`, azdev.getBearerHandler(bridge.apiKey));
});

after(() => bridge?.stop());

test('lists projects', async () => {
  const core = await webApi.getCoreApi();
  const projects = await core.getProjects();
  assert.ok(projects.some(p => p.name === project), 'Fabrikam-Fiber-Git is listed');
});

test('reads a repository and its pull requests', async () => {
  const git = await webApi.getGitApi();
  const repositories = await git.getRepositories(project);
  const repository = repositories.find(r => r.name === 'Fabrikam-Fiber-Git');
  assert.ok(repository, 'the repository is listed');
  assert.ok(repository.url.startsWith(`${bridge.base}/v1/proxy/${connection.id}/`) || repository.url.includes('/dev.azure.com/fabrikam/'));
  const pullRequests = await git.getPullRequests(repository.id, { status: 1 /* active */ }, project);
  assert.ok(Array.isArray(pullRequests) && pullRequests.length > 0, 'active pull requests are read');
  assert.equal(typeof pullRequests[0].pullRequestId, 'number');
});

test('creates, updates, queries (WIQL) and deletes a work item', async () => {
  const wit = await webApi.getWorkItemTrackingApi();
  const title = `Created by azure-devops-node-api ${Date.now()}`;
  const created = await wit.createWorkItem(null, [
    { op: 'add', path: '/fields/System.Title', value: title },
    { op: 'add', path: '/fields/System.Tags', value: 'conformance' },
  ], project, 'Task');
  assert.equal(created.fields['System.Title'], title);

  const updated = await wit.updateWorkItem(null, [{ op: 'replace', path: '/fields/System.State', value: 'Active' }], created.id, project);
  assert.equal(updated.fields['System.State'], 'Active');
  assert.ok(updated.rev > created.rev);

  const result = await wit.queryByWiql({ query: `SELECT [System.Id] FROM WorkItems WHERE [System.TeamProject] = @project AND [System.Title] = '${title}'` }, { project });
  assert.deepEqual(result.workItems.map(w => w.id), [created.id]);

  await wit.deleteWorkItem(created.id, project);
  const after = await wit.queryByWiql({ query: `SELECT [System.Id] FROM WorkItems WHERE [System.Title] = '${title}'` }, { project });
  assert.equal(after.workItems.length, 0);
});

test('negotiates api-version with an organisation that, like Azure DevOps Server 2020, accepts at most 6.0', async () => {
  const sandbox = await bridge.api('GET', '/v1/sandbox');
  const setLatest = async latest => {
    const response = await fetch(`${sandbox.emulatorBaseUrl}_admin/organizations/fabrikam/api-version`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${sandbox.emulatorAdminToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ latest }),
    });
    assert.equal(response.status, 204);
  };
  await setLatest('6.0');
  try {
    // A fresh client: it reads the resource locations again (now capped at 6.0) and asks for what they allow.
    const older = new azdev.WebApi(`${bridge.base}/v1/proxy/${connection.id}/fabrikam`, azdev.getBearerHandler(bridge.apiKey));
    const projects = await (await older.getCoreApi()).getProjects();
    assert.ok(projects.some(p => p.name === project));
    const result = await (await older.getWorkItemTrackingApi()).queryByWiql({ query: 'SELECT [System.Id] FROM WorkItems WHERE [System.TeamProject] = @project' }, { project });
    assert.ok(Array.isArray(result.workItems));

    // Asked for 7.1 directly, the organisation answers as an older Server does, and the proxy passes that on.
    const refused = await fetch(`${bridge.base}/v1/proxy/${connection.id}/fabrikam/_apis/projects?api-version=7.1`, { headers: { Authorization: `Bearer ${bridge.apiKey}` } });
    assert.equal(refused.status, 400);
    const error = await refused.json();
    assert.equal(error.typeKey, 'VssVersionOutOfRangeException');
    assert.match(error.message, /latest REST API version this server supports is 6\.0/);
  } finally {
    await setLatest(null);
  }
});

test('the proxy counted every call for the connection', async () => {
  const stats = await bridge.api('GET', `/v1/connections/${connection.id}/proxy-stats`);
  assert.ok(stats.requests >= 6, `requests: ${stats.requests}`);
});
