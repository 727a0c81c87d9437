import { describe, expect, it } from "vitest";
import { pickLesson } from "./pick-lesson.js";

const lesson = (id: number, active: boolean) => ({ id, name: `L${id}`, courseName: "C", active });

describe("pickLesson", () => {
  it("takes the active lesson with the highest id, whatever the order", () => {
    expect(pickLesson([lesson(3, true), lesson(9, false), lesson(7, true), lesson(5, true)]).id).toBe(7);
  });

  it("refuses when no lesson is active", () => {
    expect(() => pickLesson([lesson(1, false)])).toThrow("no active lesson on this server: pass --lesson ID");
    expect(() => pickLesson([])).toThrow("no active lesson");
  });
});
