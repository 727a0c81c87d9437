import WebSocket from "ws";
import * as Y from "yjs";
import { encodeMarker, scanMarkers } from "../marker.js";
import type { BenchClientFactory } from "./bench-client.js";
import { AUTH, HP, hocuspocusMessage, SYNC, WireReader, writeVarBytes, writeVarString, writeVarUint } from "./y-wire.js";

const EMPTY_STATE_VECTOR = Y.encodeStateVector(new Y.Doc());

/**
 * Hocuspocus client speaking the wire protocol directly over one multiplexed WebSocket: Auth and
 * SyncStep1 per document, edits as Yjs updates of a small local Y.Doc, cursor moves as awareness
 * updates. Receivers do not apply updates to a Y.Doc — 200 providers in one process would spend
 * the generator's CPU on Yjs, not on measuring — they read the marker out of each update's bytes.
 */
export const createHocuspocusClient: BenchClientFactory = (ctx) => {
  let socket: WebSocket | undefined;
  const synced = new Map<string, () => void>();
  let doc: Y.Doc | undefined;
  let clock = 0;

  const onMessage = (data: WebSocket.RawData) => {
    const at = ctx.now();
    const reader = new WireReader(data as Buffer);
    const documentName = reader.readVarString();
    const type = reader.readVarUint();
    if (type === HP.sync || type === HP.syncReply) {
      const step = reader.readVarUint();
      if (step === SYNC.step2) {
        synced.get(documentName)?.();
        synced.delete(documentName);
      } else if (step === SYNC.update) {
        if (scanMarkers(reader.restAsText(), (marker) => ctx.deliver(marker, at)) === 0) ctx.unattributed();
      }
    } else if (type === HP.awareness) {
      // Awareness broadcasts also announce clients that went away (state null): no marker, no delivery.
      scanMarkers(reader.restAsText(), (marker) => ctx.deliver(marker, at));
    } else if (type === HP.auth && reader.readVarUint() === AUTH.permissionDenied) {
      ctx.sendFailed(new Error(`permission denied for ${documentName}`));
    }
  };

  const open = async () => {
    const opened = new WebSocket(ctx.spec.url, { perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      opened.once("open", () => resolve());
      opened.once("error", reject);
    });
    opened.on("error", () => undefined);
    opened.on("message", onMessage);
    socket = opened;
    return opened;
  };

  /** Authenticates and syncs documents; resolves when each has answered SyncStep1 with SyncStep2. */
  const syncDocuments = (opened: WebSocket, names: readonly string[]) =>
    Promise.all(
      names.map(
        (name) =>
          new Promise<void>((resolve) => {
            synced.set(name, resolve);
            opened.send(hocuspocusMessage(name, (out) => (writeVarUint(out, HP.auth), writeVarUint(out, AUTH.token), writeVarString(out, ""))));
            opened.send(hocuspocusMessage(name, (out) => (writeVarUint(out, HP.sync), writeVarUint(out, SYNC.step1), writeVarBytes(out, EMPTY_STATE_VECTOR))));
          }),
      ),
    );

  return {
    async connect() {
      const opened = await open();
      const target = ctx.client.send;
      const names = new Set(ctx.client.watch);
      if (target) {
        names.add(target.room);
        doc = new Y.Doc();
        // Each sender's doc holds only its own text: its updates depend on nothing the server lacks.
        doc.on("update", (update: Uint8Array) => {
          opened.send(hocuspocusMessage(target.room, (out) => (writeVarUint(out, HP.sync), writeVarUint(out, SYNC.update), writeVarBytes(out, update))));
        });
      }
      await syncDocuments(opened, [...names]);
    },
    send(kind, kseq, intendedAt) {
      const target = ctx.client.send;
      if (!socket || socket.readyState !== WebSocket.OPEN || !target || !doc) return ctx.sendFailed(new Error("not connected"));
      const marker = encodeMarker({ sender: ctx.client.index, kind, from: kseq, to: kseq, intendedAt });
      if (kind === "edit") {
        const text = doc.getText("content");
        text.insert(text.length, marker);
        return;
      }
      const state = JSON.stringify({ user: { name: `client ${ctx.client.index}` }, cursor: { file: target.file, marker } });
      const update: number[] = [];
      writeVarUint(update, 1);
      writeVarUint(update, doc.clientID);
      writeVarUint(update, ++clock);
      writeVarString(update, state);
      socket.send(hocuspocusMessage(target.room, (out) => (writeVarUint(out, HP.awareness), writeVarBytes(out, Uint8Array.from(update)))));
    },
    async joinAndSync() {
      const opened = await open();
      const project = ctx.client.watch[0] ?? `p${ctx.client.index}`;
      const names = Array.from({ length: ctx.spec.join?.files ?? 0 }, (_, file) => `${project}/f${file}`);
      await syncDocuments(opened, names);
      return names.length;
    },
    async close() {
      doc?.destroy();
      socket?.terminate();
    },
  };
};
