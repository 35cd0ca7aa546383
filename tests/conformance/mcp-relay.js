// A loopback relay in front of AdoBridge's /mcp that adds the API key: the official conformance suite connects without
// credentials and has no option to send a header, and /mcp (rightly) refuses a caller without an API key.
// Everything else (Host, Origin, MCP headers, bodies, SSE streams) passes through as it is.
'use strict';
const http = require('node:http');

function startRelay(target, apiKey) {
  const upstream = new URL(target);
  const server = http.createServer((req, res) => {
    const headers = { ...req.headers, authorization: `Bearer ${apiKey}` };
    const proxied = http.request({ hostname: upstream.hostname, port: upstream.port, path: upstream.pathname + (req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : ''), method: req.method, headers }, up => {
      res.writeHead(up.statusCode, up.headers);
      up.pipe(res);
    });
    proxied.on('error', e => { res.writeHead(502); res.end(String(e)); });
    req.pipe(proxied);
  });
  return new Promise(resolve => server.listen(0, '127.0.0.1', () => resolve({
    url: `http://localhost:${server.address().port}/mcp`,
    close: () => new Promise(r => { server.closeAllConnections(); server.close(() => r()); }),
  })));
}

module.exports = { startRelay };
