// Pass/fail gates over a finished sitting: a minimum overall percent and minimums per topic, from
// the command line (--min-score, --min-topic-score) or an assessment's pass marks. Pure.
import type { Summary } from './summary.js';

export interface GateSpec {
  /** Minimum overall percent. */
  minScore?: number;
  /** Minimum percent per topic. */
  minTopic?: Record<string, number>;
}

export interface Gate {
  /** `score` for the overall percent, else the topic id. */
  gate: string;
  threshold: number;
  /** The percent reached; null when the sitting asked nothing of that topic. */
  value: number | null;
  passed: boolean;
}

/** Both specs apply; where both set the same gate the stricter threshold wins. */
export function mergeGates(a: GateSpec, b: GateSpec): GateSpec {
  const max = (x?: number, y?: number): number | undefined => (x === undefined ? y : y === undefined ? x : Math.max(x, y));
  const minTopic: Record<string, number> = { ...a.minTopic };
  for (const [t, v] of Object.entries(b.minTopic ?? {})) minTopic[t] = max(minTopic[t], v)!;
  const minScore = max(a.minScore, b.minScore);
  return { ...(minScore !== undefined ? { minScore } : {}), ...(Object.keys(minTopic).length ? { minTopic } : {}) };
}

export function evaluateGates(summary: Summary, spec: GateSpec): Gate[] {
  const gates: Gate[] = [];
  if (spec.minScore !== undefined)
    gates.push({ gate: 'score', threshold: spec.minScore, value: summary.percent, passed: summary.percent >= spec.minScore });
  for (const [topic, threshold] of Object.entries(spec.minTopic ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const value = summary.topics[topic]?.percent ?? null;
    gates.push({ gate: topic, threshold, value, passed: value !== null && value >= threshold });
  }
  return gates;
}

/** `http-apis=70` → ['http-apis', 70]; undefined when it is not of that form. */
export function parseTopicGate(text: string): [string, number] | undefined {
  const m = /^\s*([a-z0-9]+(?:-[a-z0-9]+)*)\s*=\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(text);
  if (!m) return undefined;
  const n = Number(m[2]);
  return n <= 100 ? [m[1]!, n] : undefined;
}

/** `score 62.5% < 70% required`, `topic caching 80% ≥ 60% required`. */
export function describeGate(g: Gate): string {
  const what = g.gate === 'score' ? 'score' : `topic ${g.gate}`;
  if (g.value === null) return `${what}: no questions asked (${g.threshold}% required)`;
  return `${what} ${g.value}% ${g.passed ? '≥' : '<'} ${g.threshold}% required`;
}
