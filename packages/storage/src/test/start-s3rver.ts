import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { S3BlobStore } from "../blob/s3-blob-store.js";

export interface S3rverResource {
  endpoint: string;
  bucket: string;
  /** A store on the server, or on `endpoint` (a proxy in front of it, to cut it off). */
  createStore(endpoint?: string): S3BlobStore;
  close(): Promise<void>;
}

// s3rver signs its list continuation tokens with DES, which OpenSSL 3 only offers through the
// legacy provider, so it runs in its own process with that flag (as a real endpoint would).
const CHILD = `
const S3rver = require("s3rver");
const [directory, bucket] = process.argv.slice(1);
new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] })
  .run()
  .then((address) => console.log(JSON.stringify(address)), (error) => { console.error(error); process.exit(1); });
`;

/** A real S3-compatible server on a free port over a temp folder; `close()` removes both. */
export async function startS3rver(bucket = "cohort-test"): Promise<S3rverResource> {
  const directory = await mkdtemp(path.join(os.tmpdir(), "cohort-s3rver-"));
  const child = spawn(process.execPath, ["--openssl-legacy-provider", "-e", CHILD, directory, bucket], {
    cwd: import.meta.dirname,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`s3rver exited with ${String(code)}`)));
    createInterface({ input: child.stdout }).once("line", (line) => resolve((JSON.parse(line) as { port: number }).port));
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const stores: S3BlobStore[] = [];
  return {
    endpoint,
    bucket,
    createStore(via = endpoint) {
      const store = new S3BlobStore({
        bucket,
        region: "us-east-1",
        endpoint: via,
        forcePathStyle: true,
        credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
      });
      stores.push(store);
      return store;
    },
    async close() {
      for (const store of stores) store.destroy();
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
      await rm(directory, { recursive: true, force: true });
    },
  };
}
