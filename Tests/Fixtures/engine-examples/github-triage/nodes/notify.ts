import type { Context } from "@engine/sdk";

export default async function notify(ctx: Context) {
  const { issue, labels } = ctx.input;
  const text = `#${issue.number} ${issue.title} → ${labels.join(", ") || "no labels"}`;
  await ctx.http.post(ctx.secrets["slack-webhook"], { json: { channel: ctx.config.slackChannel, text } });
  return { posted: true };
}
