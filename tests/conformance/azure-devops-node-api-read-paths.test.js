// Microsoft's Node client (azure-devops-node-api) reads, through AdoBridge's proxy, what code-review bots, work-item
// sync tools and CI integrations read first, and gets Azure DevOps' documented fields back (not only a success).
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const azdev = require('azure-devops-node-api');
const { ClientApiBase } = require('azure-devops-node-api/ClientApiBases');
const { start } = require('./adobridge');

const project = 'Fabrikam-Fiber-Git';
const repositoryId = '5febef5a-833d-4e14-b9c0-14cb638f91e6';
const bobId = 'b0b0b0b0-0000-4000-8000-000000000002';
const aliceId = 'a11ce5e5-0000-4000-8000-000000000001';
// VersionControlChangeType, PolicyEvaluationStatus, BuildStatus and FieldType as the client's enums number them.
const change = { add: 1, edit: 2, delete: 16 };
const policy = { queued: 0, approved: 2, rejected: 3 };
const buildStatus = { inProgress: 1, completed: 2, notStarted: 32 };

let bridge;
let proxy;
let webApi;
let handler;

before(async () => {
  bridge = await start();
  const sandbox = await bridge.api('GET', '/v1/sandbox');
  // A PAT with identity read as well, created through the emulator's admin API like any other sandbox credential.
  const pat = await fetch(`${sandbox.emulatorBaseUrl}_admin/pats`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${sandbox.emulatorAdminToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ userPrincipalName: 'alice@fabrikam.onmicrosoft.com', scopes: ['vso.profile', 'vso.project', 'vso.code_full', 'vso.work_full', 'vso.build_execute', 'vso.identity'] }),
  }).then(r => r.json());
  const connection = await bridge.api('POST', '/v1/connections', { type: 'pat', endUserId: 'node-read-paths', organization: 'fabrikam', pat: pat.value });
  proxy = `${bridge.base}/v1/proxy/${connection.id}`;
  handler = azdev.getBearerHandler(bridge.apiKey);
  webApi = new azdev.WebApi(`${proxy}/fabrikam`, handler);
});

after(() => bridge?.stop());

/** A call the way Microsoft's generated clients make it: discover the location by OPTIONS, negotiate, then GET. */
async function discovered(baseUrl, area, locationId, routeValues, query, apiVersion = '7.1') {
  const client = new ClientApiBase(baseUrl, [handler], 'node-conformance');
  const data = await client.vsoClient.getVersioningData(apiVersion, area, locationId, routeValues, query);
  const response = await client.rest.get(data.requestUrl, client.createRequestOptions('application/json', data.apiVersion));
  return response.result;
}

async function push(git, branch, oldObjectId, comment, changes) {
  const pushed = await git.createPush({
    refUpdates: [{ name: branch, oldObjectId }],
    commits: [{ comment, changes: changes.map(([changeType, path, content]) => ({ changeType, item: { path }, newContent: content === undefined ? undefined : { content, contentType: 0 } })) }],
  }, repositoryId, project);
  return pushed.commits[0].commitId;
}

test('WebApi.connect() reads connectionData without an api-version', async () => {
  const data = await webApi.connect();
  assert.equal(data.authenticatedUser.id, aliceId);
  assert.equal(data.authorizedUser.providerDisplayName, 'Alice Fabrikam');
  assert.match(data.instanceId, /^[0-9a-f-]{36}$/);
  assert.equal(data.locationServiceData.serviceOwner, '00025394-6065-48ca-87d9-7f5672854ef7');
});

test("the profile 'me' and the member's accounts, found through resource areas", async () => {
  const profileApi = await webApi.getProfileApi();
  assert.ok(profileApi.baseUrl.startsWith(`${proxy}/~app`), `the Profile area stays on the proxy: ${profileApi.baseUrl}`);
  const me = await profileApi.getProfile('me');
  assert.equal(me.id, aliceId);
  assert.equal(me.displayName, 'Alice Fabrikam');
  assert.equal(me.emailAddress, 'alice@fabrikam.onmicrosoft.com');

  const accounts = await discovered(profileApi.baseUrl, 'Account', '229a6a53-b428-4ffb-a835-e8f36b5b4b1e', {}, { memberId: me.id });
  const fabrikam = accounts.value.find(a => a.accountName === 'fabrikam');
  assert.ok(fabrikam, 'fabrikam is listed');
  assert.match(fabrikam.accountId, /^[0-9a-f-]{36}$/);
  assert.ok(fabrikam.accountUri.includes('fabrikam'));
});

test('teams of the project and of the organisation', async () => {
  const core = await webApi.getCoreApi();
  const details = await core.getProject(project, true);
  assert.equal(details.capabilities.versioncontrol.sourceControlType, 'Git');
  const teams = await core.getTeams(details.id);
  assert.equal(teams.length, 1);
  assert.equal(teams[0].name, `${project} Team`);
  assert.equal(teams[0].projectId, details.id);
  assert.equal(teams[0].projectName, project);
  assert.equal(teams[0].id, details.defaultTeam.id);
  assert.ok(teams[0].identityUrl.includes(teams[0].id));
  const all = await core.getAllTeams();
  assert.ok(all.some(t => t.id === teams[0].id));
});

test('a pull request over two pushes: iterations, iteration changes, commits and their changes, work-item refs, policy evaluations', async () => {
  const git = await webApi.getGitApi();
  const wit = await webApi.getWorkItemTrackingApi();
  const branch = `refs/heads/node/review-${Date.now()}`;
  const first = await push(git, branch, '0000000000000000000000000000000000000000', 'Add review notes', [['add', '/docs/node-review.md', '# Review\n']]);
  const task = await wit.createWorkItem(null, [{ op: 'add', path: '/fields/System.Title', value: 'Review task' }], project, 'Task');
  const pr = await git.createPullRequest({ sourceRefName: branch, targetRefName: 'refs/heads/main', title: 'Node review', workItemRefs: [{ id: String(task.id) }] }, repositoryId, project);
  assert.equal(pr.mergeStatus, 1 /* queued */);
  const second = await push(git, branch, first, 'Second pass', [['edit', '/docs/node-review.md', '# Review\n\nSecond pass.\n'], ['edit', '/src/app.js', "console.log('reviewed');\n"]]);

  const iterations = await git.getPullRequestIterations(repositoryId, pr.pullRequestId, project);
  assert.deepEqual(iterations.map(i => i.id), [1, 2]);
  assert.equal(iterations[1].sourceRefCommit.commitId, second);
  assert.ok(iterations[0].createdDate instanceof Date);
  const iteration = await git.getPullRequestIteration(repositoryId, pr.pullRequestId, 2, project);
  assert.equal(iteration.sourceRefCommit.commitId, second);
  assert.equal(iteration.reason, 0 /* push */);

  const changes = await git.getPullRequestIterationChanges(repositoryId, pr.pullRequestId, 2, project);
  assert.deepEqual(changes.changeEntries.map(e => [e.item.path, e.changeType]), [['/docs/node-review.md', change.add], ['/src/app.js', change.edit]]);
  assert.ok(changes.changeEntries.every(e => typeof e.changeTrackingId === 'number' && e.item.objectId));
  const sinceFirst = await git.getPullRequestIterationChanges(repositoryId, pr.pullRequestId, 2, project, undefined, undefined, 1);
  assert.deepEqual(sinceFirst.changeEntries.map(e => [e.item.path, e.changeType]), [['/docs/node-review.md', change.edit], ['/src/app.js', change.edit]]);
  assert.ok(sinceFirst.changeEntries[0].item.originalObjectId);

  const commits = await git.getPullRequestCommits(repositoryId, pr.pullRequestId, project);
  assert.deepEqual(commits.map(c => c.commitId), [second, first]);
  assert.equal(commits[0].comment, 'Second pass');
  const commit = await git.getCommit(second, repositoryId, project);
  assert.deepEqual(commit.parents, [first]);
  assert.equal(commit.author.name, 'Alice Fabrikam');
  const commitChanges = await git.getChanges(second, repositoryId, project);
  assert.equal(commitChanges.changeCounts.Edit, 2);
  assert.deepEqual(commitChanges.changes.map(c => [c.item.path, c.changeType]), [['/docs/node-review.md', change.edit], ['/src/app.js', change.edit]]);

  const refs = await git.getPullRequestWorkItemRefs(repositoryId, pr.pullRequestId, project);
  assert.deepEqual(refs.map(r => r.id), [String(task.id)]);
  assert.ok(refs[0].url.endsWith(`/_apis/wit/workItems/${task.id}`));

  const policyApi = await webApi.getPolicyApi();
  const artifactId = `vstfs:///CodeReview/CodeReviewId/${pr.repository.project.id}/${pr.pullRequestId}`;
  const evaluations = await policyApi.getPolicyEvaluations(project, artifactId);
  const byType = Object.fromEntries(evaluations.map(e => [e.configuration.type.displayName, e]));
  assert.equal(byType['Minimum number of reviewers'].status, policy.queued);
  assert.equal(byType['Minimum number of reviewers'].configuration.isBlocking, true);
  assert.equal(byType['Minimum number of reviewers'].artifactId, artifactId);
  assert.equal(byType['Work item linking'].status, policy.approved);
  assert.match(byType['Work item linking'].evaluationId, /^[0-9a-f-]{36}$/);

  const merged = await git.getPullRequestById(pr.pullRequestId, project);
  assert.equal(merged.mergeStatus, 3 /* succeeded */);
  assert.ok(merged.lastMergeCommit.commitId);
});

test('identity search on the organisation identity service', async () => {
  const found = await discovered(`${proxy}/~vssps/fabrikam`, 'IMS', '28010c54-d0c0-4c89-a5b0-1c9e188b9fb7', {}, { searchFilter: 'General', filterValue: 'bob', queryMembership: 'None' });
  assert.equal(found.count, 1);
  const bob = found.value[0];
  assert.equal(bob.id, bobId);
  assert.equal(bob.providerDisplayName, 'Bob Fabrikam');
  assert.equal(bob.properties.Mail.$value, 'bob@fabrikam.onmicrosoft.com');
  assert.ok(bob.descriptor.endsWith('\\bob@fabrikam.onmicrosoft.com'));
});

test('work-item updates, types with their states, and fields', async () => {
  const wit = await webApi.getWorkItemTrackingApi();
  const created = await wit.createWorkItem(null, [{ op: 'add', path: '/fields/System.Title', value: 'Track updates' }], project, 'Bug');
  await wit.updateWorkItem(null, [{ op: 'replace', path: '/fields/System.State', value: 'Active' }], created.id, project);
  const updates = await wit.getUpdates(created.id, undefined, undefined, project);
  assert.deepEqual(updates.map(u => u.rev), [1, 2]);
  assert.equal(updates[1].fields['System.State'].oldValue, 'New');
  assert.equal(updates[1].fields['System.State'].newValue, 'Active');
  assert.equal(updates[1].revisedBy.id, aliceId);
  assert.equal(updates[1].workItemId, created.id);

  const types = await wit.getWorkItemTypes(project);
  const bug = types.find(t => t.name === 'Bug');
  assert.equal(bug.referenceName, 'Microsoft.VSTS.WorkItemTypes.Bug');
  assert.deepEqual(bug.states.map(s => s.name), ['New', 'Active', 'Resolved', 'Closed']);
  assert.ok(bug.fields.some(f => f.referenceName === 'System.Title' && f.alwaysRequired));
  const states = await wit.getWorkItemTypeStates(project, 'Task');
  assert.deepEqual(states.map(s => [s.name, s.category]), [['New', 'Proposed'], ['Active', 'InProgress'], ['Closed', 'Completed'], ['Removed', 'Removed']]);

  const fields = await wit.getFields(project);
  const assignedTo = fields.find(f => f.referenceName === 'System.AssignedTo');
  assert.equal(assignedTo.name, 'Assigned To');
  assert.equal(assignedTo.isIdentity, true);
  assert.equal(fields.find(f => f.referenceName === 'System.Id').type, 1 /* integer */);
  const roots = await wit.getRootNodes(project, 1);
  assert.deepEqual(roots.map(r => r.path), [`\\${project}\\Area`, `\\${project}\\Iteration`]);
  assert.deepEqual(roots[0].children.map(c => c.name), ['Web', 'Service']);
});

test('build definitions, queueing a build on a branch with parameters, and listing it', async () => {
  const build = await webApi.getBuildApi();
  const definitions = await build.getDefinitions(project);
  const ci = definitions.find(d => d.name === 'Fabrikam-Fiber-CI');
  assert.ok(ci, 'the CI definition is listed');
  assert.equal(ci.queueStatus, 0 /* enabled */);
  assert.equal(ci.project.name, project);

  const queued = await build.queueBuild({ definition: { id: ci.id }, sourceBranch: 'refs/heads/feature/login', parameters: JSON.stringify({ configuration: 'release' }) }, project);
  assert.equal(queued.status, buildStatus.notStarted);
  assert.equal(queued.sourceBranch, 'refs/heads/feature/login');
  assert.equal(JSON.parse(queued.parameters).configuration, 'release');
  assert.equal(queued.definition.id, ci.id);
  assert.ok(queued.queueTime instanceof Date);

  const listed = await build.getBuilds(project, [ci.id]);
  assert.ok(listed.some(b => b.id === queued.id && b.status === buildStatus.inProgress), 'the queued build is listed, running');
  const read = await build.getBuild(project, queued.id);
  assert.equal(read.buildNumber, queued.buildNumber);
  assert.equal(read.uri, `vstfs:///Build/Build/${queued.id}`);
  const logs = await build.getBuildLogs(project, queued.id);
  assert.deepEqual(logs.map(l => l.id), [1, 2]);
  assert.ok(logs.every(l => l.lineCount > 0));
});
