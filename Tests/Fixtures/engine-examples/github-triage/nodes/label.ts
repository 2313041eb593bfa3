import type { Context } from "@engine/sdk";

export default async function label(ctx: Context) {
  const { issue, labels } = ctx.input;
  if (labels.length === 0) return { issue, labels, applied: false };
  await ctx.http.post(`https://api.github.com/repos/${issue.repository}/issues/${issue.number}/labels`, {
    headers: { authorization: `Bearer ${ctx.secrets["github-token"]}` },
    json: { labels },
  });
  return { issue, labels, applied: true };
}
