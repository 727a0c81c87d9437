import { describe, expect, it } from "vitest";
import { z } from "zod";
import reference from "../generated/api-reference.json" with { type: "json" };
import { defaultDraft, parseDraft, zLoadTestForm } from "./load-test-form.js";

describe("parseDraft", () => {
  it("accepts the defaults", () => {
    const result = parseDraft(defaultDraft("ws://127.0.0.1:4000/trpc", 3));
    expect(result).toMatchObject({ ok: true, value: { lessonId: 3, clients: 20, launcher: "local", scenario: { ratePerClient: 2 } } });
  });

  it("names every bad field", () => {
    const draft = defaultDraft("http://not-a-websocket");
    draft.clients = "2.5";
    draft.durationSec = "";
    draft.weights = { cursor: "0", edit: "0", save: "0", open: "0", list: "0", comment: "0", question: "0" };
    const result = parseDraft(draft);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(["clients", "durationSec", "lessonId", "scenario.weights", "serverUrl"]);
  });

  it("has the bounds of the server's schema (from the generated API reference)", () => {
    type Schema = { properties?: Record<string, Schema>; required?: string[]; [k: string]: unknown };
    const server = reference.procedures.find((p) => p.path === "loadtest.create")?.input as Schema | undefined;
    expect(server, "loadtest.create is in the API reference").toBeDefined();
    const form = z.toJSONSchema(zLoadTestForm, { io: "input" }) as Schema;
    const bounds = (s: Schema | undefined) =>
      Object.fromEntries(["type", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "maxLength"].flatMap((k) => (s && k in s ? [[k, s[k]]] : [])));
    const paths = [...Object.keys(form.properties ?? {}).filter((k) => k !== "scenario"), "scenario.ratePerClient", "scenario.weights.edit"];
    for (const path of paths) {
      const pick = (root: Schema | undefined) => path.split(".").reduce<Schema | undefined>((s, key) => s?.properties?.[key], root);
      expect(bounds(pick(form)), path).toEqual(bounds(pick(server)));
    }
    const weightKeys = (root: Schema | undefined) => Object.keys(root?.properties?.scenario?.properties?.weights?.properties ?? {}).sort();
    expect(weightKeys(form)).toEqual(weightKeys(server));
  });

  it("refuses a negative weight and a rate above the maximum", () => {
    const draft = defaultDraft("ws://h/trpc", 1);
    draft.weights.edit = "-1";
    draft.ratePerClient = "51";
    const result = parseDraft(draft);
    expect(result.ok ? {} : result.errors).toMatchObject({ "scenario.weights.edit": "0 or more", "scenario.ratePerClient": "at most 50/s" });
  });
});
