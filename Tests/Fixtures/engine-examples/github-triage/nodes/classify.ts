import type { Context } from "@engine/sdk";

export default async function classify(ctx: Context) {
  const { title = "", body = "" } = ctx.input.issue ?? {};
  const text = `${title}\n${body}`.toLowerCase();
  const labels = Object.entries(ctx.config.labels as Record<string, string[]>)
    .filter(([, words]) => words.some((word) => text.includes(word)))
    .map(([label]) => label);
  return { issue: ctx.input.issue, labels };
}
