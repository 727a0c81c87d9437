import { Redis } from "ioredis";
import { afterAll, describe, expect, inject, it } from "vitest";
import * as Y from "yjs";
import { testEnv } from "@cohort/test-support";
import { RedisDocStore, type CommitAnnouncement } from "./redis-doc-store.js";
import { TEXT_NAME } from "./check-update.js";

const prefix = `${inject("redisPrefix")}collab-announce:`;
const redis = new Redis(testEnv().redisUrl);
const store = new RedisDocStore({ redis, prefix, compactEvery: 3 });
afterAll(() => redis.disconnect());

let nextFile = 1;
function newRef() {
  const tag = `{l:8${Date.now() % 100000}:p:${Math.floor(Math.random() * 1e6)}}`;
  return { tag, fileId: nextFile++ };
}

/** The project's log as @cohort/realtime lays it out: the stream shares the document's hash tag. */
function announcement(tag: string, rest: object): CommitAnnouncement {
  const key = `${prefix}${tag}:events`;
  return { target: { key, channel: `${key}:ch`, maxLen: 1000, maxAgeMs: 0 }, event: ['{"version":', `,${JSON.stringify(rest).slice(1)}`] };
}

async function logOf(tag: string): Promise<{ id: string; prev: string; event: { version: number; n?: number } }[]> {
  const entries = await redis.xrange(`${prefix}${tag}:events`, "-", "+");
  return entries.map(([id, fields]) => ({ id, prev: fields[1]!, event: JSON.parse(fields[3]!) as { version: number; n?: number } }));
}

function typed(doc: Y.Doc, text: string): Uint8Array {
  const sv = Y.encodeStateVector(doc);
  doc.getText(TEXT_NAME).insert(doc.getText(TEXT_NAME).length, text);
  return Y.encodeStateAsUpdate(doc, sv);
}

describe("RedisDocStore commits that announce their event", () => {
  it("append the event in the commit's step, with the version the commit decided, and publish it", async () => {
    const ref = newRef();
    const seed = async () => "";
    const client = new Y.Doc();
    Y.applyUpdate(client, (await store.sync(ref, seed)).update);
    const subscriber = new Redis(testEnv().redisUrl);
    const published: string[] = [];
    subscriber.on("message", (_channel: string, message: string) => published.push(message));
    await subscriber.subscribe(`${prefix}${ref.tag}:events:ch`);

    const committed = [];
    for (let n = 0; n < 5; n++) committed.push(await store.push(ref, typed(client, `e${n} `), seed, { announce: announcement(ref.tag, { type: "edit", n }) }));
    const log = await logOf(ref.tag);
    expect(log.map((entry) => entry.event)).toEqual(committed.map((c, n) => ({ version: c.version, type: "edit", n })));
    expect(committed.map((c) => c.eventId)).toEqual(log.map((entry) => entry.id));
    // Linked like every append (each entry names the one before), across compactions (every 3).
    expect(log.map((entry) => entry.prev)).toEqual(["0-0", ...log.slice(0, -1).map((entry) => entry.id)]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(published.map((message) => message.split(" ")[0])).toEqual(log.map((entry) => entry.id));
    subscriber.disconnect();
  });

  it("append nothing when the update is refused, or its check before storing throws", async () => {
    const ref = newRef();
    const seed = async () => "x";
    const client = new Y.Doc();
    Y.applyUpdate(client, (await store.sync(ref, seed)).update);
    const refuse = () => {
      throw new Error("quota");
    };
    await expect(store.push(ref, typed(client, "a"), seed, { accept: refuse, announce: announcement(ref.tag, { type: "edit" }) })).rejects.toThrow("quota");
    await expect(store.push(ref, new Uint8Array([1, 2, 3]), seed, { announce: announcement(ref.tag, { type: "edit" }) })).rejects.toThrow();
    expect(await logOf(ref.tag)).toEqual([]);
  });

  it("let a replace announce the diff it computed", async () => {
    const ref = newRef();
    const seed = async () => "hello";
    let announced: Uint8Array | undefined;
    const committed = await store.replace(ref, "hello world", seed, {
      announce: (update) => {
        announced = update;
        return announcement(ref.tag, { type: "edit", update: Buffer.from(update).toString("base64") });
      },
    });
    expect(committed).not.toBeNull();
    expect(announced).toEqual(committed!.update);
    const [entry] = await logOf(ref.tag);
    expect(entry!.event).toEqual({ version: committed!.version, type: "edit", update: Buffer.from(committed!.update).toString("base64") });
    // The announced update brings a replica of the old text to the new one.
    const replica = new Y.Doc();
    Y.applyUpdate(replica, (await store.sync(ref, seed, new Uint8Array([0]))).update);
    expect(replica.getText(TEXT_NAME).toString()).toBe("hello world");
  });

  it("without an announcement, commit as before and append nothing", async () => {
    const ref = newRef();
    const seed = async () => "";
    const client = new Y.Doc();
    Y.applyUpdate(client, (await store.sync(ref, seed)).update);
    const committed = await store.push(ref, typed(client, "plain"), seed);
    expect(committed.eventId).toBeUndefined();
    expect(await logOf(ref.tag)).toEqual([]);
  });
});
