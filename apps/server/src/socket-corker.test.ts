import { describe, expect, it } from "vitest";
import type { Socket } from "node:net";
import { SocketCorker } from "./socket-corker.js";

function fakeSocket() {
  const calls: string[] = [];
  const socket = { destroyed: false, cork: () => calls.push("cork"), uncork: () => calls.push("uncork") };
  return { socket: socket as unknown as Socket & { destroyed: boolean }, calls };
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("SocketCorker", () => {
  it("corks a socket once per turn and uncorks it at the end of the turn", async () => {
    const corker = new SocketCorker();
    const a = fakeSocket();
    const b = fakeSocket();
    expect(corker.hold(a.socket)).toBe(true);
    expect(corker.hold(a.socket)).toBe(false);
    expect(corker.hold(b.socket)).toBe(true);
    expect(a.calls).toEqual(["cork"]);
    await nextTurn();
    expect(a.calls).toEqual(["cork", "uncork"]);
    expect(b.calls).toEqual(["cork", "uncork"]);
    expect(corker.hold(a.socket)).toBe(true); // a new turn
    await nextTurn();
    expect(a.calls).toEqual(["cork", "uncork", "cork", "uncork"]);
  });

  it("leaves a destroyed socket alone", async () => {
    const corker = new SocketCorker();
    const a = fakeSocket();
    corker.hold(a.socket);
    a.socket.destroyed = true;
    await nextTurn();
    expect(a.calls).toEqual(["cork"]);
  });
});
