import { Redis } from "ioredis";
import { afterAll, describe, expect, inject, it } from "vitest";
import * as Y from "yjs";
import { testEnv } from "@cohort/test-support";
import { RedisDocStore, UpdateRejectedError } from "./redis-doc-store.js";
import { TEXT_NAME } from "./check-update.js";

const connections: Redis[] = [];
function store(options: { compactEvery?: number } = {}) {
  const redis = new Redis(testEnv().redisUrl);
  connections.push(redis);
  return new RedisDocStore({ redis, prefix: `${inject("redisPrefix")}collab:`, ...options });
}
afterAll(() => connections.forEach((c) => c.disconnect()));

let nextFile = 1;
const newRef = () => ({ tag: `{l:9${Date.now() % 100000}:p:${Math.floor(Math.random() * 1e6)}}`, fileId: nextFile++ });

/** A client replica that syncs from a store and produces updates. */
async function replicaOf(s: RedisDocStore, ref: { tag: string; fileId: number }, seed: () => Promise<string>) {
  const doc = new Y.Doc();
  const { update } = await s.sync(ref, seed);
  Y.applyUpdate(doc, update);
  return doc;
}

function edit(doc: Y.Doc, change: (t: Y.Text) => void) {
  const sv = Y.encodeStateVector(doc);
  change(doc.getText(TEXT_NAME));
  return Y.encodeStateAsUpdate(doc, sv);
}

describe("RedisDocStore", () => {
  it("seeds a document from the file's text once, whichever instance comes first", async () => {
    const [a, b] = [store(), store()];
    const ref = newRef();
    const [ra, rb] = await Promise.all([a.sync(ref, async () => "hello"), b.sync(ref, async () => "hello")]);
    const da = new Y.Doc();
    Y.applyUpdate(da, ra.update);
    Y.applyUpdate(da, rb.update); // same seed: applying both must not duplicate the text
    expect(da.getText(TEXT_NAME).toString()).toBe("hello");
  });

  it("converges when clients on two instances push concurrently", async () => {
    const [a, b] = [store({ compactEvery: 25 }), store({ compactEvery: 25 })];
    const ref = newRef();
    const seed = async () => "start\n";
    const clients = await Promise.all([0, 1, 2, 3].map(() => replicaOf(a, ref, seed)));
    const pushes: Promise<unknown>[] = [];
    for (let round = 0; round < 40; round++) {
      clients.forEach((doc, i) => {
        const update = edit(doc, (t) => t.insert(Math.floor(Math.random() * (t.length + 1)), `${i}`));
        pushes.push((i % 2 ? b : a).push(ref, update, seed));
      });
    }
    await Promise.all(pushes);
    const final = await a.text(ref, seed);
    const viaB = await b.text(ref, seed);
    expect(viaB.text).toBe(final.text);
    expect(final.version).toBe(160);
    // Every client's characters are present: 40 of each digit.
    for (const i of [0, 1, 2, 3]) expect(final.text.split(String(i)).length - 1).toBe(40);
    // A fresh store (restart) rebuilds the same text from snapshot + updates.
    expect((await store().text(ref, seed)).text).toBe(final.text);
  });

  it("refuses malformed, foreign and oversized updates without changing anything", async () => {
    const s = store();
    const ref = newRef();
    const seed = async () => "abc";
    const before = await s.text(ref, seed);
    await expect(s.push(ref, new Uint8Array([1, 2, 3, 255, 255]), seed)).rejects.toBeInstanceOf(UpdateRejectedError);
    const foreign = new Y.Doc();
    foreign.getText(TEXT_NAME).insert(0, "other file");
    await expect(s.push(ref, edit(foreign, (t) => t.insert(0, "x")), seed)).rejects.toMatchObject({ problem: "MISSING_DEPENDENCIES" });
    await expect(s.push(ref, new Uint8Array(300_000), seed)).rejects.toMatchObject({ problem: "TOO_LARGE" });
    expect(await s.text(ref, seed)).toEqual(before);
  });

  it("leaves nothing stored when the acceptance check throws (quota)", async () => {
    const s = store();
    const ref = newRef();
    const seed = async () => "";
    const client = await replicaOf(s, ref, seed);
    const big = edit(client, (t) => t.insert(0, "x".repeat(1000)));
    await expect(
      s.push(ref, big, seed, {
        accept: (text) => {
          if (text.length > 100) throw new Error("quota");
        },
      }),
    ).rejects.toThrow("quota");
    expect((await s.text(ref, seed)).text).toBe("");
    expect((await store().text(ref, seed)).version).toBe(0);
  });

  it("replace() applies a minimal diff, so an edit made concurrently on another instance survives", async () => {
    const [a, b] = [store(), store()];
    const ref = newRef();
    const seed = async () => "one\ntwo\nthree\n";
    const client = await replicaOf(b, ref, seed);
    const concurrent = edit(client, (t) => t.insert(0, "zero\n")); // typed before the save arrived
    await a.replace(ref, "one\ntwo\nTHREE\n", seed);
    await b.push(ref, concurrent, seed);
    expect((await a.text(ref, seed)).text).toBe("zero\none\ntwo\nTHREE\n");
    expect((await b.text(ref, seed)).text).toBe("zero\none\ntwo\nTHREE\n");
  });
});
