import type { FetchOutput } from "./fetch.ts";

// Turns the fetched greeting into a one-line summary.
export default async function summarize(input: FetchOutput): Promise<{ summary: string }> {
  const words = input.greeting.trim().split(/\s+/).length;
  return { summary: `${input.greeting} (${words} words, fetched ${input.fetchedAt})` };
}
