// The full OAuth flow against AdoBridge's /mcp, driven by the official TypeScript SDK client (@modelcontextprotocol/sdk)
// as an interactive MCP client drives it: the first 401, protected resource metadata, authorization server metadata,
// dynamic client registration, the authorization request with PKCE S256 and the resource, then (as the user's browser,
// over HTTP with a cookie jar) sign-in through AdoBridge's connect flow with a PAT and the consent page, the code back at
// the redirect URI, the token exchange, and tool calls acting as the connection the user signed in with.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { Client } = require('@modelcontextprotocol/sdk/client/index.js');
const { StreamableHTTPClientTransport } = require('@modelcontextprotocol/sdk/client/streamableHttp.js');
const { UnauthorizedError } = require('@modelcontextprotocol/sdk/client/auth.js');
const { start } = require('./adobridge');

const redirectUrl = 'http://127.0.0.1:53682/callback';
let bridge;

before(async () => { bridge = await start(); });
after(() => bridge?.stop());

/** What an MCP client keeps between runs: its registration, tokens and PKCE verifier; the browser it opens is recorded. */
class MemoryProvider {
  constructor() { this.opened = []; this.saved = {}; }
  get redirectUrl() { return redirectUrl; }
  get clientMetadata() {
    return { client_name: 'Conformance MCP client', redirect_uris: [redirectUrl], grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], token_endpoint_auth_method: 'none' };
  }
  state() { return 'state-123'; }
  clientInformation() { return this.saved.client; }
  saveClientInformation(info) { this.saved.client = info; }
  tokens() { return this.saved.tokens; }
  saveTokens(tokens) { this.saved.tokens = tokens; }
  redirectToAuthorization(url) { this.opened.push(url); }
  saveCodeVerifier(verifier) { this.saved.verifier = verifier; }
  codeVerifier() { return this.saved.verifier; }
}

/** The user's browser: follows nothing by itself, keeps cookies, sends Origin on form posts as browsers do. */
class Browser {
  constructor() { this.cookies = new Map(); }
  async request(url, { method = 'GET', form } = {}) {
    const headers = { Cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
    if (form) { headers['Content-Type'] = 'application/x-www-form-urlencoded'; headers.Origin = new URL(url).origin; }
    const response = await fetch(url, { method, headers, body: form ? new URLSearchParams(form).toString() : undefined, redirect: 'manual' });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const i = pair.indexOf('=');
      this.cookies.set(pair.slice(0, i), pair.slice(i + 1));
    }
    const body = await response.text();
    const location = response.headers.get('location');
    return { status: response.status, body, location: location && new URL(location, url).toString() };
  }
}

function hiddenFields(html) {
  const decode = s => s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
  return [...html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)].map(m => [decode(m[1]), decode(m[2])]);
}

test('an MCP client goes from the first 401 through discovery, registration, sign-in, consent and token to a tool call', async () => {
  const mcpUrl = new URL(`${bridge.base}/mcp`);

  // The first 401 names the protected resource metadata.
  const first = await fetch(mcpUrl, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' }, body: '{"jsonrpc":"2.0","id":1,"method":"ping"}' });
  assert.equal(first.status, 401);
  assert.match(first.headers.get('www-authenticate'), new RegExp(`resource_metadata="${bridge.base}/.well-known/oauth-protected-resource/mcp"`));

  // The SDK discovers, registers and sends the user to the authorization endpoint.
  const provider = new MemoryProvider();
  const client = new Client({ name: 'adobridge-oauth-conformance', version: '1.0.0' });
  await assert.rejects(client.connect(new StreamableHTTPClientTransport(mcpUrl, { authProvider: provider })), UnauthorizedError);
  assert.match(provider.saved.client.client_id, /^mcp_[0-9a-f]{32}$/);
  assert.equal(provider.opened.length, 1);
  const authorize = provider.opened[0];
  assert.equal(authorize.origin + authorize.pathname, `${bridge.base}/oauth/authorize`);
  assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
  assert.equal(authorize.searchParams.get('resource'), mcpUrl.href);

  // The user signs in through AdoBridge's connect flow (a PAT, against the emulator's organisation).
  const browser = new Browser();
  const toConnect = await browser.request(authorize.href);
  assert.equal(toConnect.status, 302);
  assert.match(toConnect.location, new RegExp(`^${bridge.base}/connect/`));
  const landing = await browser.request(toConnect.location);
  assert.equal(landing.status, 200);
  const sandbox = await bridge.api('GET', '/v1/sandbox');
  const connected = await browser.request(`${toConnect.location}/pat`, { method: 'POST', form: { organization: 'fabrikam', pat: sandbox.pat } });
  assert.equal(connected.status, 302, connected.body);
  assert.match(connected.location, new RegExp(`^${bridge.base}/oauth/authorize\\?`));

  // The consent page names the client and where it sends the user; the user approves.
  const consent = await browser.request(connected.location);
  assert.equal(consent.status, 200, consent.body);
  assert.match(consent.body, /Conformance MCP client/);
  assert.ok(consent.body.includes(redirectUrl));
  const approved = await browser.request(`${bridge.base}/oauth/authorize`, { method: 'POST', form: [...hiddenFields(consent.body), ['consent', 'approve']] });
  assert.equal(approved.status, 302, approved.body);
  const back = new URL(approved.location);
  assert.equal(back.origin + back.pathname, redirectUrl);
  assert.equal(back.searchParams.get('state'), 'state-123');

  // The SDK redeems the code (with its PKCE verifier and the resource) and calls tools as the signed-in connection.
  const transport = new StreamableHTTPClientTransport(mcpUrl, { authProvider: provider });
  await transport.finishAuth(back.searchParams.get('code'));
  assert.ok(provider.saved.tokens.access_token);
  assert.ok(provider.saved.tokens.refresh_token);
  assert.ok(provider.saved.tokens.expires_in <= 600);
  const signedIn = new Client({ name: 'adobridge-oauth-conformance', version: '1.0.0' });
  await signedIn.connect(transport);
  const { tools } = await signedIn.listTools();
  assert.ok(tools.some(t => t.name === 'list_projects'));
  const result = await signedIn.callTool({ name: 'list_projects', arguments: { organization: 'fabrikam' } });
  assert.ok(!result.isError, JSON.stringify(result.content));
  assert.ok(JSON.stringify(result.structuredContent).includes('Fabrikam-Fiber-Git'));

  // The admin API lists the client's tokens against the connection the user made.
  const listed = await bridge.api('GET', '/v1/mcp/tokens');
  const mine = listed.data.filter(t => t.clientId === provider.saved.client.client_id);
  assert.deepEqual(mine.map(t => t.type).sort(), ['access_token', 'refresh_token']);
  await signedIn.close();
});
