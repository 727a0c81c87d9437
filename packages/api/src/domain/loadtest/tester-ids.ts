/** Tester ids are `t<index>` (what launchers pass and testers claim). */
export function testerIdOf(index: number): string {
  return `t${index}`;
}

/** The index a tester id names, or undefined if it is not one. */
export function testerIndexOf(testerId: string): number | undefined {
  const match = /^t(\d{1,6})$/.exec(testerId);
  return match ? Number(match[1]) : undefined;
}
