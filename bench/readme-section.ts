/** Puts the Performance section into README.md: replaces the one there, else goes before "## Architecture". */
export function withPerformanceSection(readme: string, section: string): string {
  const start = readme.indexOf("\n## Performance\n");
  if (start >= 0) {
    const next = readme.indexOf("\n## ", start + 1);
    const end = next >= 0 ? next : readme.length;
    // Subsections other benchmarks write (### Replicas, from bench/replicas.ts) stay.
    const sub = readme.indexOf("\n### ", start);
    const kept = sub >= 0 && sub < end ? `\n${readme.slice(sub + 1, end)}` : "";
    return `${readme.slice(0, start + 1)}${section}${kept}${readme.slice(end)}`;
  }
  const architecture = readme.indexOf("\n## Architecture\n");
  if (architecture < 0) return `${readme.trimEnd()}\n\n${section}`;
  return `${readme.slice(0, architecture + 1)}${section}\n${readme.slice(architecture + 1)}`;
}
