import type { NextConfig } from "next";
import { PERMISSIONS_POLICY } from "./lib/security-headers";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // `npm test` typechecks the whole project first (tsc --noEmit); the build need not do it again.
  typescript: { ignoreBuildErrors: true },
  // forbidden() answers 403 with app/forbidden.tsx when a role may not see a page.
  experimental: { authInterrupts: true },
  // Prisma's generated client and pg are server-only dependencies loaded at run time; so are the
  // protobuf and gRPC libraries of the OTLP intake (protobufjs loads the .proto files of lib/otlp/proto).
  serverExternalPackages: ["pg", "protobufjs", "@grpc/grpc-js"],
  // Static security headers on every response; the CSP (a nonce per response) and HSTS (only over
  // HTTPS) come from proxy.ts.
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Referrer-Policy", value: "same-origin" },
          { key: "Permissions-Policy", value: PERMISSIONS_POLICY },
        ],
      },
    ];
  },
};

export default nextConfig;
