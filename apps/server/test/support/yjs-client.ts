import * as Y from "yjs";
import type { CohortClient } from "@cohort/sdk";

/** A hand-driven Yjs replica for tests that need exact control over updates (bypassing LiveDocument). */
export async function rawReplica(client: CohortClient, ref: { lessonId: number; ownerId: number; path: string }) {
  const doc = new Y.Doc();
  const { update } = await client.api.edits.sync.mutate(ref);
  Y.applyUpdate(doc, Buffer.from(update, "base64"));
  return {
    doc,
    text: () => doc.getText("content").toString(),
    /** Makes a local change and returns the update it produced, base64. */
    edit(change: (text: Y.Text) => void): string {
      const sv = Y.encodeStateVector(doc);
      change(doc.getText("content"));
      return Buffer.from(Y.encodeStateAsUpdate(doc, sv)).toString("base64");
    },
  };
}
