// "Did you mean": the names nearest a misspelt one, so a message can offer the fix.

/**
 * Edit distance counting a swap of two neighbouring characters as one edit (optimal string
 * alignment), since swapped letters are the commonest slip in a typed name.
 */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The names nearest to `wrong` (at most `max`, all equally near), if any is near enough to be a
 * slip: at most a third of its length apart (at least one edit), or with all its words among the name's.
 */
export function nearest(wrong: string, names: Iterable<string>, max = 3): string[] {
  const limit = Math.max(1, Math.floor(wrong.length / 3));
  let best = limit + 1;
  let found: string[] = [];
  for (const name of names) {
    if (Math.abs(name.length - wrong.length) > limit) continue;
    const d = editDistance(wrong.toLowerCase(), name.toLowerCase());
    if (d < best) [best, found] = [d, [name]];
    else if (d === best) found.push(name);
  }
  // A word of a hyphenated name is a likely slip too ('python' for 'python-backend').
  const words = (s: string): string[] => s.toLowerCase().split(/[-/]/);
  if (!found.length) found = [...names].filter((name) => words(wrong).every((w) => words(name).includes(w)));
  return found.sort().slice(0, max);
}

/** `; did you mean 'a' or 'b'?` to end a message with, or '' when nothing is near. */
export function didYouMean(options: readonly string[]): string {
  if (options.length === 0) return '';
  const quoted = options.map((o) => `'${o}'`);
  return `; did you mean ${quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`}?`;
}
