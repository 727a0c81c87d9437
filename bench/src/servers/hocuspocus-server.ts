import { Redis as RedisExtension } from "@hocuspocus/extension-redis";
import { Server } from "@hocuspocus/server";
import * as Y from "yjs";
import type { TemplateFile } from "../template.js";

/**
 * The Yjs backend teams would pick: Hocuspocus v3 with its Redis extension (so instances could
 * share documents). A document named `<project>/f<n>` starts as template file n, as a lesson
 * template would seed a student's project; any other document starts empty.
 */
export async function startHocuspocusServer({ redisUrl, prefix, template }: { redisUrl: string; prefix: string; template: TemplateFile[] }) {
  const seeds = template.map((file) => {
    const doc = new Y.Doc();
    doc.getText("content").insert(0, file.content);
    return Y.encodeStateAsUpdate(doc);
  });
  const { hostname, port } = new URL(redisUrl);
  const server = new Server({
    port: 0,
    address: "127.0.0.1",
    quiet: true,
    stopOnSignals: false,
    extensions: [new RedisExtension({ host: hostname, port: Number(port || 6379), prefix })],
    async onLoadDocument({ documentName, document }) {
      const match = /\/f(\d+)$/.exec(documentName);
      const seed = match ? seeds[Number(match[1])] : undefined;
      if (seed) Y.applyUpdate(document, seed);
      return document;
    },
  });
  await server.listen();
  return {
    port: server.address.port,
    async close() {
      await server.destroy();
    },
  };
}
