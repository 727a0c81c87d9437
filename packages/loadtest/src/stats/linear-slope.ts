/**
 * Least-squares slope of y over x: the trend of a series of samples (memory over minutes, memory
 * over clients), which a first-versus-last difference reads from two noisy points only.
 * @throws RangeError with fewer than two points, or when x does not vary: no trend can be read
 * from that, and a 0 there would let a growth check pass on no data.
 */
export function linearSlope(points: readonly (readonly [number, number])[]): number {
  if (points.length < 2) throw new RangeError(`a slope needs at least 2 points, got ${points.length}`);
  const n = points.length;
  const meanX = points.reduce((s, [x]) => s + x, 0) / n;
  const meanY = points.reduce((s, [, y]) => s + y, 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - meanX) * (y - meanY);
    den += (x - meanX) ** 2;
  }
  if (den === 0) throw new RangeError(`a slope needs points at 2 or more distinct x, got ${n} at x = ${meanX}`);
  return num / den;
}
