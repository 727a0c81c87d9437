import { afterAll } from "vitest";

/**
 * The figures docs/reliability.md quotes from one test file: each test adds what it measured, and
 * the file prints them as one line when it ends. A test that failed before measuring adds nothing,
 * so a figure is never printed that was not measured.
 */
export function figureLine(file: string): (figure: string) => void {
  const figures: string[] = [];
  afterAll(() => console.info(`${file}: ${figures.length > 0 ? figures.join("; ") : "nothing measured"}`));
  return (figure) => void figures.push(figure);
}
