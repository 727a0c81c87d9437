// What other workspaces (e2e fixtures, benchmarks) may start a server with.
export { createApp, type CohortApp } from "./create-app.js";
export { readServerEnv, type ServerEnv } from "./env.js";
