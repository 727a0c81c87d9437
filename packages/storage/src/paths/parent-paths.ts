/** `a/b/c` -> `["a", "a/b"]`: every ancestor directory of a valid path, outermost first. */
export function parentPaths(path: string): string[] {
  const parents: string[] = [];
  let index = path.indexOf("/");
  while (index !== -1) {
    parents.push(path.slice(0, index));
    index = path.indexOf("/", index + 1);
  }
  return parents;
}

/** True when `path` is `dir` itself or lies anywhere under it. */
export function isSameOrInside(path: string, dir: string): boolean {
  return path === dir || path.startsWith(`${dir}/`);
}
