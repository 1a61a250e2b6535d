/** Writes big-0.yaml … big-4.yaml (10,000 questions) into `dir` and returns their paths. */
export function writeGeneratedBanks(dir: string): string[];
