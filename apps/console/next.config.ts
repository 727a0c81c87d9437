import type { NextConfig } from "next";
// Validates the environment at build and start: a bad COHORT_SERVER_URL fails here, not on the
// first request.
import "./src/env";

const securityHeaders = [
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "same-origin" },
];

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // `npm run typecheck` (scripts/typecheck.ts, run before every `npm run build`) checks the
  // console's own files; Next's built-in check would also report errors inside the server
  // packages that the type-only AppRouter import pulls in (see that script for why).
  typescript: { ignoreBuildErrors: true },
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
};

export default nextConfig;
