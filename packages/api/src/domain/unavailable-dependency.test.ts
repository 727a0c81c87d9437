import net from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { getTRPCErrorShape, TRPCError } from "@trpc/server";
import { createDb } from "@cohort/db";
import { AppError } from "../errors.js";
import { appRouter } from "../root.js";
import { unavailableDependency, type Dependency } from "./unavailable-dependency.js";

/** An error as a library builds it: a message plus the fields it sets (name, code, kind…). */
const made = (message: string, fields: Record<string, unknown> = {}) => Object.assign(new Error(message), fields);
const named = (name: string, message: string) => {
  const error = new Error(message);
  Object.defineProperty(error, "name", { value: name });
  return error;
};

// Messages and fields as ioredis 5, Prisma 6 with @prisma/adapter-pg, node-postgres and the AWS SDK v3 produce them.
const outages: [string, unknown, Dependency][] = [
  ["ioredis: retries per request used up", named("MaxRetriesPerRequestError", 'Reached the max retries per request limit (which is 2). Refer to "maxRetriesPerRequest" option for details.'), "redis"],
  ["ioredis: connection closed", made("Connection is closed."), "redis"],
  ["ioredis: offline queue off", made("Stream isn't writeable and enableOfflineQueue options is false"), "redis"],
  ["ioredis cluster: not ready", made("Cluster isn't ready and enableOfflineQueue options is false"), "redis"],
  ["ioredis cluster: every node failed", named("ClusterAllFailedError", "Failed to refresh slots cache."), "redis"],
  ["ioredis cluster: no startup node", made("None of startup nodes is available"), "redis"],
  ["Redis Cluster: slots without a master", named("ReplyError", "CLUSTERDOWN The cluster is down"), "redis"],
  ["Redis: loading its data after a restart", named("ReplyError", "LOADING Redis is loading the dataset in memory"), "redis"],
  ["Redis: a demoted master after a failover", named("ReplyError", "READONLY You can't write against a read only replica."), "redis"],
  ["Prisma: server closed the connection", made("Server has closed the connection.", { code: "P1017", clientVersion: "6.19.3" }), "database"],
  ["Prisma: no pooled connection in time", made("Timed out fetching a new connection from the connection pool.", { code: "P2024", clientVersion: "6.19.3" }), "database"],
  ["Prisma: client could not start", named("PrismaClientInitializationError", "Can't reach database server at db:5432"), "database"],
  [
    "driver adapter: connection closed",
    made("Raw query failed.", { code: "P2010", meta: { driverAdapterError: Object.assign(named("DriverAdapterError", "ConnectionClosed"), { cause: { kind: "ConnectionClosed" } }) } }),
    "database",
  ],
  ["driver adapter: server shutting down (57P01)", made("x", { cause: { kind: "postgres", code: "57P01", severity: "FATAL" } }), "database"],
  ["driver adapter: connection exception class 08", made("x", { cause: { kind: "postgres", code: "08006" } }), "database"],
  ["node-postgres: socket gone", made("Connection terminated unexpectedly"), "database"],
  ["node-postgres: connect timeout", made("timeout exceeded when trying to connect"), "database"],
  ["Prisma rethrowing a socket error", made("read ECONNRESET", { code: "ECONNRESET", clientVersion: "6.19.3" }), "database"],
  ["AWS SDK: 503", made("Service Unavailable", { name: "ServiceUnavailable", $fault: "server", $metadata: { httpStatusCode: 503 } }), "file storage"],
  ["AWS SDK: connection refused", made("connect ECONNREFUSED 10.0.0.1:9000", { code: "ECONNREFUSED", $metadata: {} }), "file storage"],
  ["a bare socket error", made("connect ECONNREFUSED 127.0.0.1:1", { code: "ECONNREFUSED", errno: -111 }), "service"],
  ["wrapped two levels deep", new Error("load failed", { cause: new Error("lock", { cause: made("Connection is closed.") }) }), "redis"],
];

const notOutages: [string, unknown][] = [
  ["a bug", new TypeError("Cannot read properties of undefined (reading 'id')")],
  ["Prisma: unique violation", made("Unique constraint failed", { code: "P2002", clientVersion: "6.19.3" })],
  ["Prisma: record not found", made("No record was found", { code: "P2025", clientVersion: "6.19.3" })],
  ["driver adapter: unique violation", made("x", { cause: { kind: "UniqueConstraintViolation" } })],
  ["driver adapter: syntax error (42601)", made("x", { cause: { kind: "postgres", code: "42601" } })],
  ["Prisma: a raw query whose adapter error is not about the connection", made("Raw query failed.", { code: "P2010", meta: { driverAdapterError: named("DriverAdapterError", "x") } })],
  ["Redis: a wrong command", named("ReplyError", "ERR wrong number of arguments for 'hset' command")],
  ["Redis: wrong type", named("ReplyError", "WRONGTYPE Operation against a key holding the wrong kind of value")],
  ["a message that only mentions a closed connection", made("The editor's Connection is closed. Reopen it")],
  ["AWS SDK: access denied", made("Access Denied", { name: "AccessDenied", $fault: "client", $metadata: { httpStatusCode: 403 } })],
  ["a file system error", made("ENOSPC: no space left on device", { code: "ENOSPC" })],
  ["nothing", undefined],
  ["a string", "Connection is closed."],
];

describe("unavailableDependency", () => {
  it.each(outages)("%s → %s", (_name, error, dependency) => {
    expect(unavailableDependency(error)).toBe(dependency);
  });

  it.each(notOutages)("%s → not an outage", (_name, error) => {
    expect(unavailableDependency(error)).toBeNull();
  });

  it("ends on a cycle of causes", () => {
    const a = new Error("a");
    const b = new Error("b", { cause: a });
    Object.assign(a, { cause: b });
    expect(unavailableDependency(a)).toBeNull();
  });
});

describe("unavailableDependency on errors the real clients throw", () => {
  const servers: net.Server[] = [];
  afterAll(() => servers.forEach((s) => s.close()));
  const listen = async (onConnection: (socket: net.Socket) => void) => {
    const server = net.createServer(onConnection);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return (server.address() as net.AddressInfo).port;
  };
  const failure = (promise: Promise<unknown>) => promise.then(() => expect.fail("expected the query to fail"), (error: unknown) => error);

  /** A port with nothing listening, or a server that hangs up at once (as a cut network does). */
  const peers: [string, () => Promise<number>][] = [
    [
      "nothing listening",
      async () => {
        const port = await listen(() => undefined);
        await new Promise((resolve) => servers.pop()!.close(resolve));
        return port;
      },
    ],
    ["a server that hangs up at once", () => listen((socket) => socket.destroy())],
  ];
  it.each(peers)("Prisma over pg, %s: model and raw queries", async (_name, start) => {
    const db = await createDb({ databaseUrl: `postgresql://cohort@127.0.0.1:${await start()}/none` });
    try {
      expect(unavailableDependency(await failure(db.lesson.findUnique({ where: { id: 1 } })))).toBe("database");
      expect(unavailableDependency(await failure(db.$queryRaw`SELECT 1`))).toBe("database");
    } finally {
      await db.$disconnect();
    }
  });
});

describe("the wire shape of a failed call", () => {
  const shapeOf = (error: TRPCError) =>
    getTRPCErrorShape({ config: appRouter._def._config, error, type: "query", path: "files.list", input: undefined, ctx: undefined });

  it("an outage: INTERNAL_SERVER_ERROR, UNAVAILABLE, the dependency named and nothing of the driver", () => {
    const cause = made("connect ECONNREFUSED 10.1.2.3:5432 (pg_hba.conf secret)", { code: "P1001", clientVersion: "6.19.3" });
    const shape = shapeOf(new TRPCError({ code: "INTERNAL_SERVER_ERROR", cause }));
    expect(shape.message).toBe("The database (PostgreSQL) is unavailable, try again");
    expect(shape.data).toMatchObject({ code: "INTERNAL_SERVER_ERROR", httpStatus: 500, appCode: "UNAVAILABLE" });
    expect(JSON.stringify(shape)).not.toMatch(/10\.1\.2\.3|pg_hba|ECONNREFUSED|stack/);
  });

  it("any other failure stays INTERNAL, without its message", () => {
    const shape = shapeOf(new TRPCError({ code: "INTERNAL_SERVER_ERROR", cause: new TypeError("secret detail") }));
    expect(shape.message).toBe("Internal server error");
    expect(shape.data.appCode).toBe("INTERNAL");
  });

  it("a refusal keeps its own code, message and reason", () => {
    const shape = shapeOf(new AppError("TEMPLATE_INVALID", 'Entry "../evil.sh" leaves the project', { reason: "ZIP_SLIP", cause: made("Connection is closed.") }));
    expect(shape.message).toBe('Entry "../evil.sh" leaves the project');
    expect(shape.data).toMatchObject({ code: "PRECONDITION_FAILED", appCode: "TEMPLATE_INVALID", reason: "ZIP_SLIP" });
  });
});
