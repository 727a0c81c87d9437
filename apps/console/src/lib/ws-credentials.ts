/**
 * Header the console's own scripts send to /api/ws-credentials. A cross-origin page cannot add it
 * without a CORS preflight, which the route never grants.
 */
export const CREDENTIALS_HEADER = "x-cohort-console";

export interface WsCredentials {
  wsUrl: string;
  adminKey: string;
}
