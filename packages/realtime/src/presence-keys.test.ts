import { describe, expect, it } from "vitest";
import { assertId, connectionMember, connectionsKey, presenceTopic } from "./presence-keys.js";

describe("presence keys", () => {
  it("share the lesson's hash tag with the presence topic", () => {
    expect(presenceTopic(12)).toBe("{l:12}:presence");
    expect(connectionsKey("cohort:", 12)).toBe("cohort:{l:12}:presence:conns");
  });

  it("put the participant first in a connection member", () => {
    expect(connectionMember({ participantId: 7, instanceId: "i-1", connectionId: "c|9" })).toBe("7|i-1|c|9");
  });

  it("accept only positive integer ids", () => {
    expect(() => assertId("lessonId", 1)).not.toThrow();
    for (const bad of [0, -1, 1.5, Number.NaN]) expect(() => assertId("lessonId", bad)).toThrow(TypeError);
  });
});
