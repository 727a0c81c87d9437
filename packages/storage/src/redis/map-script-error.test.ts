import { describe, expect, it } from "vitest";
import { StorageError } from "../errors.js";
import { mapScriptError } from "./map-script-error.js";

describe("mapScriptError", () => {
  it("reads the code and detail a script failed with", () => {
    const error = mapScriptError(new Error("STORAGE FILE_EXISTS a/b c.txt script: 90744822b82ba4a6afd7972ef9d7ce64098500e6, on @user_script:1."));
    expect(error).toBeInstanceOf(StorageError);
    expect(error).toMatchObject({ code: "FILE_EXISTS", message: "a/b c.txt already exists" });
    expect(mapScriptError(new Error("STORAGE INTO_ITSELF src "))).toMatchObject({ code: "INVALID_PATH" });
  });

  it("passes other errors through", () => {
    const other = new Error("NOSCRIPT No matching script");
    expect(mapScriptError(other)).toBe(other);
    expect(mapScriptError(new Error("STORAGE NOT_A_CODE x"))).toBeInstanceOf(Error);
    expect(mapScriptError("text")).toBe("text");
  });
});
