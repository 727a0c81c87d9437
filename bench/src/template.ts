/** The project every join-storm client syncs: the same files for every system. */
export interface TemplateFile {
  path: string;
  content: string;
}

/**
 * `count` source files of about `bytesPerFile` each, in a few folders, deterministic so every
 * system serves byte-identical projects.
 */
export function templateFiles(count: number, bytesPerFile: number): TemplateFile[] {
  return Array.from({ length: count }, (_, i) => {
    const header = `# file ${i} of the starter project\n`;
    const line = `def step_${i}(x):\n    return x * ${i} + ${count - i}  # keep going\n`;
    let content = header;
    while (content.length + line.length <= bytesPerFile) content += line;
    return { path: `src/module${i % 10}/file${i}.py`, content };
  });
}
