import { describe, expect, it } from "vitest";
import { canRead, canWrite, effectivePermission } from "./permission-bits.js";

const teacher = { id: 1, role: "TEACHER" as const };
const coTeacher = { id: 4, role: "TEACHER" as const };
const alice = { id: 2, role: "STUDENT" as const };
const bob = { id: 3, role: "STUDENT" as const };

describe("effectivePermission", () => {
  it.each([
    ["owner on own project", alice, alice, null, 7],
    ["owner even with a grant row", alice, alice, 0, 7],
    ["teacher on a student's project", teacher, alice, null, 7],
    ["student on the teacher's project", alice, teacher, null, 4],
    ["co-teacher on the teacher's project", coTeacher, teacher, null, 4],
    ["student on another student's project", bob, alice, null, 0],
    ["explicit grant 6 to a student", bob, alice, 6, 6],
    ["explicit grant 0 revokes the teacher default", teacher, alice, 0, 0],
    ["explicit grant 4 narrows the teacher", teacher, alice, 4, 4],
    ["grant bits beyond 7 are ignored", bob, alice, 0b1100, 4],
  ])("%s", (_name, viewer, owner, grant, expected) => {
    expect(effectivePermission({ viewer, owner, grant })).toBe(expected);
  });
});

describe("canRead / canWrite", () => {
  it.each([
    [0, false, false],
    [1, false, false],
    [2, false, false], // WRITE without READ cannot change anything
    [4, true, false],
    [5, true, false],
    [6, true, true],
    [7, true, true],
  ])("permission %i: read %s, write %s", (permission, read, write) => {
    expect(canRead(permission)).toBe(read);
    expect(canWrite(permission)).toBe(write);
  });
});
