/** Milliseconds with a precision that suits the size: 0.084, 1.42, 17.3, 1 204. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return "–";
  const abs = Math.abs(ms);
  if (abs < 1) return ms.toFixed(3);
  if (abs < 10) return ms.toFixed(2);
  if (abs < 100) return ms.toFixed(1);
  return Math.round(ms).toLocaleString("en-US").replace(/,/g, "\u202f");
}

export function formatCount(n: number | null | undefined): string {
  if (n === null || n === undefined || Number.isNaN(n)) return "–";
  return Math.round(n).toLocaleString("en-US").replace(/,/g, "\u202f");
}

export function formatPercent(fraction: number | null | undefined, digits = 2): string {
  if (fraction === null || fraction === undefined || Number.isNaN(fraction)) return "–";
  return `${(fraction * 100).toFixed(digits)} %`;
}

export function percentileLabel(p: number): string {
  return p === 100 ? "max" : `p${p}`;
}
