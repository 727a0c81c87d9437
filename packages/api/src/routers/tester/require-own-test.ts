import { AppError } from "../../errors.js";

/** A tester token is good for its own test only. */
export function requireOwnTest(ctx: { testId: number }, testId: number): void {
  if (ctx.testId !== testId) throw new AppError("NOT_A_TESTER", `This token is not for test ${testId}`);
}
