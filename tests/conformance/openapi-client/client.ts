// A product back end as a generated client sees AdoBridge: types from the live /openapi/v1.json (openapi-typescript),
// calls through openapi-fetch. The TypeScript compiler checks every path, body and field used here against the document.
import createClient from "openapi-fetch";
import type { components, paths } from "./schema";

type Problem = components["schemas"]["Problem"];

export interface Walkthrough {
  connectSession: components["schemas"]["ConnectSessionView"];
  connection: components["schemas"]["ConnectionView"];
  connections: components["schemas"]["ConnectionList"];
  projects: components["schemas"]["ActionPage"];
  endpoint: components["schemas"]["WebhookEndpointWithSecret"];
  missing: Problem;
  status: { [call: string]: number };
}

function must<T>(call: string, result: { data?: T; error?: unknown; response: Response }, status: { [call: string]: number }): T {
  status[call] = result.response.status;
  if (result.data === undefined) {
    throw new Error(`${call} answered ${result.response.status}: ${JSON.stringify(result.error)}`);
  }
  return result.data;
}

export async function walkthrough(baseUrl: string, apiKey: string, organization: string, pat: string): Promise<Walkthrough> {
  const client = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${apiKey}` } });
  const status: { [call: string]: number } = {};

  const connectSession = must("createConnectSession",
    await client.POST("/v1/connect-sessions", { body: { endUserId: "generated-client", endUserDisplayName: "Generated Client" } }), status);

  const connection = must("createConnection",
    await client.POST("/v1/connections", { body: { type: "pat", endUserId: "generated-client", organization, pat } }), status);

  const connections = must("listConnections",
    await client.GET("/v1/connections", { params: { query: { endUserId: "generated-client" } } }), status);

  const projects = must("listProjects",
    await client.GET("/v1/connections/{id}/organizations/{org}/projects", { params: { path: { id: connection.id, org: organization } } }), status);

  const endpoint = must("createWebhookEndpoint",
    await client.POST("/v1/webhook-endpoints", { body: { url: "https://app.contoso.example/hooks/adobridge", events: ["pull_request.*"] } }), status);

  const notFound = await client.GET("/v1/connections/{id}", { params: { path: { id: "conn_does_not_exist" } } });
  status["getConnection"] = notFound.response.status;
  if (notFound.error === undefined) {
    throw new Error("GET /v1/connections/conn_does_not_exist did not fail");
  }
  const missing: Problem = notFound.error;

  return { connectSession, connection, connections, projects, endpoint, missing, status };
}
